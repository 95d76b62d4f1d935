using System.Net.WebSockets;
using FeedGuard.Kite.Codec;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.Kite.Streaming;

// The receive loop: a message is gathered into the reused buffer (large frames arrive in several
// reads), decoded whole into a reused tick array and handed on with one OnTicksAsync per frame; the
// observer is awaited before the memory is reused (back-pressure). A frame with bad packets is
// reported malformed once, whatever the number of bad packets, because the core weighs malformed
// reports against frames: per-packet reports would let one bad instrument in a 50-packet frame
// look like a 50% malformed stream.
internal sealed partial class KiteTickerSocket
{
    private const string OversizedFrame = "kite: message larger than the receive buffer";
    private const string UnexpectedText = "kite: unexpected text frame";

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[ReceiveBufferSize(Instruments.Length)];
        var ticks = new Tick[Math.Max(1, Instruments.Length)];
        var clock = new ReceiveClock(_time);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var message = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (message.Type == WebSocketMessageType.Close)
                {
                    End(DisconnectReason.ClosedByServer, $"Kite ticker socket {Index}: server sent a close frame (status {_socket.CloseStatusText}).");
                    return;
                }

                // One clock reading per frame: liveness, the ticks' receive time and the feed's arrival timestamp.
                var receivedAt = clock.Read(out var receiveTime);
                Volatile.Write(ref _lastFrameTimestamp, receivedAt);
                if (message.Oversized)
                {
                    _observer.OnMalformedFrame(OversizedFrame);
                    continue;
                }

                var count = message.Count;
                if (message.Type == WebSocketMessageType.Binary)
                {
                    var frame = buffer.AsMemory(0, count);
                    var packets = KiteTickDecoder.PacketCount(frame.Span);
                    if (packets > ticks.Length)
                    {
                        // Only when the server batches more packets than this socket has instruments.
                        ticks = new Tick[packets];
                    }

                    var decoded = _decoder.DecodeFrame(frame.Span, new DateTimeOffset(receiveTime, TimeSpan.Zero), ticks);
                    if (decoded.Ticks > 0)
                    {
                        await _observer.OnTicksAsync(ticks.AsMemory(0, decoded.Ticks), receivedAt, cancellationToken).ConfigureAwait(false);
                    }

                    if (decoded.Malformed > 0)
                    {
                        _observer.OnMalformedFrame(KiteTickDecoder.Describe(decoded.FirstProblem));
                    }
                    else if (decoded.Ticks == 0)
                    {
                        _observer.OnFrameReceived(); // the 1-byte heartbeat, or an empty frame
                    }
                }
                else
                {
                    HandleText(buffer.AsSpan(0, count));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by End or DisposeAsync.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            End(ClassifyReceiveFailure(ex), $"Kite ticker socket {Index}: {Streaming.HandshakeClassifier.Describe(ex, _credentials)}");
        }
    }

    private void HandleText(ReadOnlySpan<byte> text)
    {
        if (!KiteTextMessage.TryRead(text, _credentials, out var kind, out var message))
        {
            _observer.OnMalformedFrame(UnexpectedText);
            return;
        }

        switch (kind)
        {
            case SourceMessageKind.Error:
                Log.BrokerError(_logger, Index, message);
                // Naming the socket's instruments puts the error on their status rows, not only in the events.
                _observer.OnSourceMessage(kind, $"Kite ticker error: {message} (socket {Index}, {Instruments.Length} instrument(s) in mode {KiteRequests.ModeName(_mode)})", Instruments);
                break;
            case SourceMessageKind.Notice:
                Log.BrokerMessage(_logger, Index, message);
                _observer.OnSourceMessage(kind, $"Kite ticker message: {message}");
                break;
            default:
                Log.OrderUpdate(_logger, Index, message);
                _observer.OnSourceMessage(kind, $"Kite {message}");
                break;
        }
    }

    // The runtime aborts a socket whose keep-alive PING goes unanswered within KeepAliveTimeout.
    private static DisconnectReason ClassifyReceiveFailure(Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            if (inner is TimeoutException)
            {
                return DisconnectReason.NoPong;
            }
        }

        return DisconnectReason.NetworkError;
    }
}
