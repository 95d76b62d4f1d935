using System.Globalization;
using System.Net.WebSockets;
using FeedGuard.Sources;

namespace FeedGuard.SmartApi.Streaming;

// The heartbeat: text `ping` every PingInterval (SmartStream answers text `pong`). A ping that sees
// no frame of any kind within PongTimeout condemns the socket with NoPong. Every wait goes through
// the injected TimeProvider.
internal sealed partial class SmartStreamSocket
{
    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        var lastPing = _time.GetTimestamp();
        long? unansweredSince = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (unansweredSince is { } pingAt && Volatile.Read(ref _lastFrameTimestamp) >= pingAt)
                {
                    unansweredSince = null;
                }

                if (unansweredSince is { } since && _time.GetElapsedTime(since) >= _options.PongTimeout)
                {
                    var seconds = _options.PongTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                    End(DisconnectReason.NoPong, $"SmartStream socket {Index}: no pong or any other frame within {seconds} s of a ping.");
                    return;
                }

                var untilPing = _options.PingInterval - _time.GetElapsedTime(lastPing);
                if (untilPing <= TimeSpan.Zero)
                {
                    await SendAsync(PingFrame, WebSocketMessageType.Text, cancellationToken).ConfigureAwait(false);
                    lastPing = _time.GetTimestamp();
                    unansweredSince ??= lastPing;
                    untilPing = _options.PingInterval;
                }

                var wait = untilPing;
                if (unansweredSince is { } outstanding)
                {
                    var untilDeadline = _options.PongTimeout - _time.GetElapsedTime(outstanding);
                    wait = untilDeadline < wait ? untilDeadline : wait;
                }

                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by End or DisposeAsync.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            End(DisconnectReason.NetworkError, $"SmartStream socket {Index}: sending ping failed: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
