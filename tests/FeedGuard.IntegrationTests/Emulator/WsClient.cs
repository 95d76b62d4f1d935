using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>
/// A <see cref="ClientWebSocket"/> with one background receive loop feeding a channel, so a
/// test can wait for a message with a bound without cancelling (and so aborting) the socket.
/// </summary>
internal sealed class WsClient : IAsyncDisposable
{
    private readonly Channel<(WebSocketMessageType Type, byte[] Data)> _messages = Channel.CreateUnbounded<(WebSocketMessageType, byte[])>();
    private readonly Task _loop;

    public WsClient(ClientWebSocket socket)
    {
        Socket = socket;
        _loop = Task.Run(LoopAsync);
    }

    public ClientWebSocket Socket { get; }

    /// <summary>Why the receive loop ended: null while open, else the exception (or null exception for a close frame).</summary>
    public Exception? Failure { get; private set; }

    public bool Ended { get; private set; }

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The next message, or null if none arrives within <paramref name="timeout"/> or the socket ended.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Data)?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _messages.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveUntilAsync(Func<WebSocketMessageType, byte[], bool> match)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < Wire.Bound)
        {
            if (await ReceiveAsync(Wire.Bound - sw.Elapsed) is { } m && match(m.Type, m.Data))
            {
                return m;
            }

            if (Ended && !_messages.Reader.TryPeek(out _))
            {
                throw new InvalidOperationException("The socket ended before a matching message arrived.", Failure);
            }
        }

        throw new TimeoutException("No matching message within the bound.");
    }

    /// <summary>Discards messages until the line is quiet for <paramref name="quiet"/> (bounded overall).</summary>
    public async Task DrainAsync(TimeSpan quiet)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < Wire.Bound && await ReceiveAsync(quiet) is not null)
        {
        }
    }

    public Task WaitEndedAsync() => Wire.WaitUntilAsync(() => Ended, "the socket ended");

    private async Task LoopAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await Socket.ReceiveAsync(buffer.AsMemory(total), CancellationToken.None);
                    total += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                _messages.Writer.TryWrite((result.MessageType, buffer[..total]));
            }
        }
#pragma warning disable CA1031 // The test reads the failure from Failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Failure = ex;
        }
        finally
        {
            Ended = true;
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Socket.Abort();
        Socket.Dispose();
        await _loop;
    }
}
