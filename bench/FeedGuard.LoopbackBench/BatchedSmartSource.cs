using System.Net.WebSockets;
using FeedGuard.SmartApi.Codec;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.LoopbackBench;

/// <summary>
/// A streaming source for multi-packet frames (several SmartAPI LTP packets per message, the way
/// Kite batches ticks). SmartStream itself sends one packet per message and FeedGuard's SmartAPI
/// source rightly rejects anything else, so the 64-tick scenario uses this source: the same decoder,
/// a reused buffer and a reused tick array, one clock reading per message (<see cref="ReceiveClock"/>)
/// and one <see cref="IStreamObserver.OnTicksAsync(ReadOnlyMemory{Tick}, long, CancellationToken)"/>
/// per message, as FeedGuard's Kite source does. Everything after the observer is FeedGuard's.
/// </summary>
internal sealed class BatchedSmartSource(Uri url) : IStreamingSource
{
    public string Name => "batched-smartapi";

    public async ValueTask<IStreamConnection> ConnectAsync(StreamRequest request, IStreamObserver observer, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
            await socket.SendAsync("{\"action\":1}"u8.ToArray(), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            socket.Dispose();
            throw new FeedConnectionException(DisconnectReason.NetworkError, ex.Message);
        }

        return new Connection(socket, request, observer);
    }

    private sealed class Connection : IStreamConnection
    {
        private readonly ClientWebSocket _socket;
        private readonly StreamRequest _request;
        private readonly IStreamObserver _observer;
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource<StreamDisconnect> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _loop;

        public Connection(ClientWebSocket socket, StreamRequest request, IStreamObserver observer)
        {
            _socket = socket;
            _request = request;
            _observer = observer;
            _loop = ReceiveAsync(_stop.Token);
        }

        public Task<StreamDisconnect> Completion => _completion.Task;

        public async ValueTask DisposeAsync()
        {
            _completion.TrySetResult(new StreamDisconnect(DisconnectReason.None, "closed by the client"));
            await _stop.CancelAsync().ConfigureAwait(false);
            _socket.Abort();
            await _loop.ConfigureAwait(false);
            _socket.Dispose();
            _stop.Dispose();
        }

        private async Task ReceiveAsync(CancellationToken cancellationToken)
        {
            var buffer = new byte[64 * 1024];
            var ticks = new Tick[buffer.Length / Wire.PacketSize];
            var filled = 0;
            var clock = new ReceiveClock(TimeProvider.System);
            try
            {
                while (true)
                {
                    var result = await _socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        _completion.TrySetResult(new StreamDisconnect(DisconnectReason.ClosedByServer, "close frame"));
                        return;
                    }

                    filled += result.Count;
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }

                    var receivedAt = clock.Read(out var receiveTime);
                    var count = Decode(buffer.AsSpan(0, filled), new DateTimeOffset(receiveTime, TimeSpan.Zero), ticks);
                    filled = 0;
                    if (count > 0)
                    {
                        await _observer.OnTicksAsync(ticks.AsMemory(0, count), receivedAt, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
            {
                _completion.TrySetResult(new StreamDisconnect(DisconnectReason.NetworkError, ex.GetType().Name));
            }
        }

        private int Decode(ReadOnlySpan<byte> message, DateTimeOffset now, Tick[] ticks)
        {
            var count = 0;
            for (var offset = 0; offset + Wire.PacketSize <= message.Length; offset += Wire.PacketSize)
            {
                var status = SmartStreamDecoder.Decode(message.Slice(offset, Wire.PacketSize), _request.Instruments, now, out ticks[count]);
                if (status == SmartStreamDecodeStatus.Ok)
                {
                    count++;
                }
                else
                {
                    _observer.OnMalformedFrame(SmartStreamDecoder.Describe(status));
                }
            }

            return count;
        }
    }
}
