using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>
/// A byte-level WebSocket client over a plain TCP socket, for what <c>ClientWebSocket</c> hides:
/// sending a control PING with a chosen payload, seeing the control PONG, and telling a TCP
/// reset from a close frame.
/// </summary>
internal sealed class RawWebSocketClient : IDisposable
{
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocketClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawWebSocketClient> ConnectAsync(Uri wsUrl, IReadOnlyDictionary<string, string> headers)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(wsUrl.Host, wsUrl.Port);
        var client = new RawWebSocketClient(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = new StringBuilder()
            .Append($"GET {wsUrl.PathAndQuery} HTTP/1.1\r\nHost: {wsUrl.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
            .Append($"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n");
        foreach (var (name, value) in headers)
        {
            request.Append($"{name}: {value}\r\n");
        }

        request.Append("\r\n");
        await client._stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));
        var response = new StringBuilder();
        var one = new byte[1];
        while (!response.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await client._stream.ReadAsync(one) == 0)
            {
                throw new IOException("Connection closed during the handshake.");
            }

            response.Append((char)one[0]);
        }

        if (!response.ToString().StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new IOException("Handshake failed: " + response);
        }

        return client;
    }

    public async Task SendAsync(byte opcode, byte[] payload)
    {
        // Client frames are masked (RFC 6455 §5.3); payloads here are small.
        var mask = RandomNumberGenerator.GetBytes(4);
        var frame = new List<byte> { (byte)(0x80 | opcode) };
        if (payload.Length < 126)
        {
            frame.Add((byte)(0x80 | payload.Length));
        }
        else
        {
            frame.Add(0x80 | 126);
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }

        frame.AddRange(mask);
        frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i % 4])));
        await _stream.WriteAsync(frame.ToArray());
    }

    /// <summary>Reads one frame; null when none arrives within the timeout. Throws on a reset.</summary>
    public async Task<(byte Opcode, byte[] Payload)?> ReadFrameAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var head = await ReadExactAsync(2, cts.Token);
            var length = (long)(head[1] & 0x7F);
            if (length == 126)
            {
                length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactAsync(2, cts.Token));
            }
            else if (length == 127)
            {
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactAsync(8, cts.Token));
            }

            var payload = await ReadExactAsync((int)length, CancellationToken.None);
            return ((byte)(head[0] & 0x0F), payload);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until one matches; throws when the bound passes.</summary>
    public async Task<(byte Opcode, byte[] Payload)> ReadUntilAsync(Func<byte, byte[], bool> match)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < Wire.Bound)
        {
            if (await ReadFrameAsync(Wire.Bound - sw.Elapsed) is { } f && match(f.Opcode, f.Payload))
            {
                return f;
            }
        }

        throw new TimeoutException("No matching frame within the bound.");
    }

    /// <summary>Reads frames until the line is quiet for <paramref name="quiet"/> (bounded overall).</summary>
    public async Task DrainAsync(TimeSpan quiet)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < Wire.Bound && await ReadFrameAsync(quiet) is not null)
        {
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException("The server closed the TCP connection (FIN).");
            }

            read += n;
        }

        return buffer;
    }

    public void Dispose() => _tcp.Dispose();
}
