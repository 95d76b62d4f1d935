using System.Net.WebSockets;
using System.Text.Json;
using FeedGuard.SmartApi.Codec;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.SmartApi.Streaming;

// The receive loop: one packet per binary message, decoded straight from the reused buffer into a
// reused one-tick array; the observer is awaited before the memory is reused (back-pressure).
internal sealed partial class SmartStreamSocket
{
    private const string OversizedFrame = "smartapi: frame larger than any SmartStream packet";
    private const string UnexpectedText = "smartapi: unexpected text frame";

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[ReceiveBufferSize];
        var ticks = new Tick[1];
        var clock = new ReceiveClock(_time);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var message = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (message.Type == WebSocketMessageType.Close)
                {
                    End(DisconnectReason.ClosedByServer, message.MidMessage
                        ? $"SmartStream socket {Index}: server sent a close frame in the middle of a message."
                        : $"SmartStream socket {Index}: server sent a close frame (status {_socket.CloseStatusText}).");
                    return;
                }

                Volatile.Write(ref _framesReceived, _framesReceived + 1);
                if (message.Oversized)
                {
                    _observer.OnMalformedFrame(OversizedFrame);
                    continue;
                }

                var length = message.Count;
                if (message.Type == WebSocketMessageType.Binary)
                {
                    // One clock reading per message: the tick's receive time and the feed's arrival timestamp.
                    var receivedAt = clock.Read(out var receiveTime);
                    var decoded = SmartStreamDecoder.Decode(buffer.AsSpan(0, length), _request.Instruments, new DateTimeOffset(receiveTime, TimeSpan.Zero), out ticks[0]);
                    if (decoded == SmartStreamDecodeStatus.Ok)
                    {
                        await _observer.OnTicksAsync(ticks, receivedAt, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        _observer.OnMalformedFrame(SmartStreamDecoder.Describe(decoded));
                    }
                }
                else
                {
                    HandleText(buffer.AsSpan(0, length));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by End or DisposeAsync.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            End(ClassifyReceiveFailure(ex), $"SmartStream socket {Index}: {Describe(ex)}");
        }
    }

    private void HandleText(ReadOnlySpan<byte> text)
    {
        if (text.SequenceEqual("pong"u8))
        {
            _observer.OnFrameReceived();
            return;
        }

        if (text.IsEmpty || text[0] != (byte)'{' || !TryReadError(text, out var code, out var message, out var correlationId))
        {
            _observer.OnMalformedFrame(UnexpectedText);
            return;
        }

        // One subscribe request per socket: an error names this socket's instruments, whether or not
        // the broker echoed our correlation id.
        var instruments = correlationId is null || correlationId.Length == 0 || correlationId == CorrelationId ? Instruments : null;
        var count = instruments?.Length ?? 0;
        Log.BrokerError(_logger, Index, code, message, count);
        _observer.OnSourceMessage(
            SourceMessageKind.Error,
            $"SmartStream {code}: {message} (socket {Index}, {count} instrument(s) in mode {_request.Mode})",
            instruments);
    }

    private static bool TryReadError(ReadOnlySpan<byte> json, out string code, out string message, out string? correlationId)
    {
        code = "";
        message = "";
        correlationId = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                if (!reader.Read())
                {
                    return false;
                }

                var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                switch (name)
                {
                    case "errorCode":
                        code = Bound(value ?? "");
                        break;
                    case "errorMessage":
                        message = Bound(value ?? "");
                        break;
                    case "correlationID":
                        correlationId = value;
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return code.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Bound(string text) => text.Length <= 200 ? text : text[..200] + "…";

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

    private static string Describe(Exception ex) =>
        ex.InnerException is null ? $"{ex.GetType().Name}: {ex.Message}" : $"{ex.GetType().Name}: {ex.Message} ({ex.InnerException.GetType().Name}: {ex.InnerException.Message})";
}
