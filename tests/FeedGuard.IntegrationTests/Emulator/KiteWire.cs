using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using FeedGuard.Emulator;
using FeedGuard.Emulator.Kite;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>Raw loopback helpers for talking to the emulator as a Kite client would.</summary>
internal static class KiteWire
{
    public const uint Infy = 408065;
    public const uint Reliance = 738561;
    public const uint Nifty50 = 256265;
    public const uint UsdInrCds = 412931;
    public const uint UsdInrBcd = 412934;

    public static Task<BrokerEmulator> StartAsync(double ticksPerSecond = 20, Func<KiteEmulatorOptions, KiteEmulatorOptions>? kite = null) =>
        BrokerEmulator.StartAsync(
            new EmulatorOptions
            {
                Seed = 42,
                TicksPerSecond = ticksPerSecond,
                Kite = kite is null ? new KiteEmulatorOptions { QuoteRequestsPerSecond = 0 } : kite(new KiteEmulatorOptions { QuoteRequestsPerSecond = 0 }),
            },
            CancellationToken.None);

    public static Uri StreamUrl(BrokerEmulator emulator, string? apiKey = null, string? accessToken = null, string? path = null)
    {
        var kite = emulator.Options.Kite;
        var builder = new UriBuilder(emulator.KiteStreamUrl)
        {
            Query = $"api_key={Uri.EscapeDataString(apiKey ?? kite.ApiKey)}&access_token={Uri.EscapeDataString(accessToken ?? kite.AccessToken)}&uid=1700000000000",
        };
        if (path is not null)
        {
            builder.Path = path;
        }

        return builder.Uri;
    }

    public static async Task<ClientWebSocket> ConnectAsync(Uri url)
    {
        var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        ws.Options.SetRequestHeader("X-Kite-Version", "3");
        using var cts = new CancellationTokenSource(Wire.Bound);
        await ws.ConnectAsync(url, cts.Token);
        return ws;
    }

    public static async Task<WsClient> OpenAsync(BrokerEmulator emulator) => new(await ConnectAsync(StreamUrl(emulator)));

    public static Task<RawWebSocketClient> OpenRawAsync(BrokerEmulator emulator) =>
        RawWebSocketClient.ConnectAsync(StreamUrl(emulator), new Dictionary<string, string>());

    public static string Subscribe(params uint[] tokens) => "{\"a\":\"subscribe\",\"v\":[" + Join(tokens) + "]}";

    public static string Unsubscribe(params uint[] tokens) => "{\"a\":\"unsubscribe\",\"v\":[" + Join(tokens) + "]}";

    public static string Mode(string mode, params uint[] tokens) => "{\"a\":\"mode\",\"v\":[\"" + mode + "\",[" + Join(tokens) + "]]}";

    /// <summary>The packets of a frame; throws <see cref="FormatException"/> when the frame breaks the layout (protocols §2.3–2.4).</summary>
    public static List<byte[]> Packets(byte[] frame)
    {
        if (frame.Length < 2)
        {
            throw new FormatException("Not a tick frame.");
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(frame);
        var packets = new List<byte[]>();
        var offset = 2;
        for (var i = 0; i < count; i++)
        {
            if (offset + 2 > frame.Length)
            {
                throw new FormatException($"Packet {i} has no length.");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(offset));
            offset += 2;
            if (offset + length > frame.Length)
            {
                throw new FormatException($"Packet {i} overruns the frame.");
            }

            var packet = frame.AsSpan(offset, length).ToArray();
            var index = (U32(packet, 0) & 0xFF) == 9;
            var valid = index ? length is 8 or 28 or 32 : length is 8 or 44 or 184;
            if (!valid)
            {
                throw new FormatException($"Packet {i} has length {length}, which no layout has.");
            }

            packets.Add(packet);
            offset += length;
        }

        if (offset != frame.Length)
        {
            throw new FormatException("Bytes after the last packet.");
        }

        return packets;
    }

    public static bool IsTickFrame(WebSocketMessageType type, byte[] data) => type == WebSocketMessageType.Binary && data.Length > 1;

    public static uint U32(byte[] packet, int offset) => BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(offset));

    public static int I32(byte[] packet, int offset) => BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(offset));

    /// <summary>Sends an upgrade request over plain TCP and returns the status code and body of a refusal.</summary>
    public static async Task<(int Status, string Body)> HandshakeAsync(Uri url)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(url.Host, url.Port);
        var stream = tcp.GetStream();
        var request = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var cts = new CancellationTokenSource(Wire.Bound);
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString(buffer.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var status = int.Parse(text.AsSpan(9, 3), CultureInfo.InvariantCulture);
                var lengthLine = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                var length = lengthLine is null ? 0 : int.Parse(lengthLine[15..].Trim(), CultureInfo.InvariantCulture);
                if (text.Length - end - 4 >= length)
                {
                    return (status, text.Substring(end + 4, length));
                }
            }

            var n = await stream.ReadAsync(chunk, cts.Token);
            if (n == 0)
            {
                throw new IOException("Connection closed before a complete response: " + text);
            }

            buffer.Write(chunk, 0, n);
        }
    }

    public static async Task<HttpResponseMessage> GetAsync(BrokerEmulator emulator, string pathAndQuery, string? authorization = null)
    {
        using var http = new HttpClient { BaseAddress = emulator.KiteRestUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        var kite = emulator.Options.Kite;
        request.Headers.TryAddWithoutValidation("Authorization", authorization ?? $"token {kite.ApiKey}:{kite.AccessToken}");
        request.Headers.TryAddWithoutValidation("X-Kite-Version", "3");
        return await http.SendAsync(request);
    }

    private static string Join(uint[] tokens) => string.Join(",", tokens.Select(t => t.ToString(CultureInfo.InvariantCulture)));
}
