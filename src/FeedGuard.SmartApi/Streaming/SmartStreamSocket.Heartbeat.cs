using System.Globalization;
using System.Net.WebSockets;
using FeedGuard.Sources;

namespace FeedGuard.SmartApi.Streaming;

// The heartbeat: text `ping` every PingInterval (SmartStream answers text `pong`). A ping that sees
// no frame of any kind within PongTimeout condemns the socket with NoPong. Both are TimeProvider
// timers armed synchronously, so a fake clock drives them deterministically.
internal sealed partial class SmartStreamSocket
{
    private readonly Lock _heartbeatLock = new();
    private ITimer? _pingTimer;
    private ITimer? _pongDeadline;
    private long _unansweredPingAt;
    private long _framesAtUnansweredPing;
    private Task _pingSend = Task.CompletedTask;
    private bool _heartbeatStopped;

    private void StartHeartbeat()
    {
        _pongDeadline = _time.CreateTimer(_ => OnPongDeadline(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _pingTimer = _time.CreateTimer(_ => OnPingDue(), null, _options.PingInterval, _options.PingInterval);
    }

    /// <summary>Stops both timers; returns the ping send still in flight, if any.</summary>
    private Task StopHeartbeat()
    {
        lock (_heartbeatLock)
        {
            _heartbeatStopped = true;
            _pingTimer?.Dispose();
            _pongDeadline?.Dispose();
            return _pingSend;
        }
    }

    private void OnPingDue()
    {
        lock (_heartbeatLock)
        {
            if (_heartbeatStopped || _life.IsStopping)
            {
                return;
            }

            var now = _time.GetTimestamp();
            if (_unansweredPingAt == 0 || Answered())
            {
                // The deadline runs from the oldest ping nothing has answered yet.
                _unansweredPingAt = now;
                _framesAtUnansweredPing = Volatile.Read(ref _framesReceived);
                _pongDeadline?.Change(_options.PongTimeout, Timeout.InfiniteTimeSpan);
            }

            if (_pingSend.IsCompleted)
            {
                _pingSend = SendPingAsync();
            }
        }
    }

    private void OnPongDeadline()
    {
        lock (_heartbeatLock)
        {
            if (_unansweredPingAt == 0 || Answered())
            {
                _unansweredPingAt = 0;
                return;
            }

            // With real timers, a deadline already queued when the next ping re-armed it still runs:
            // it belongs to the older, answered ping, and must not judge the one just sent.
            // It can also be a hair early: the timer and the timestamp are different clocks. Either
            // way the unanswered ping still needs judging, so re-arm for the time it has left;
            // returning without a deadline would let a stalled socket live forever.
            var elapsed = _time.GetElapsedTime(_unansweredPingAt);
            if (elapsed < _options.PongTimeout)
            {
                _pongDeadline?.Change(_options.PongTimeout - elapsed, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        var seconds = _options.PongTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        End(DisconnectReason.NoPong, $"SmartStream socket {Index}: no pong or any other frame within {seconds} s of a ping.");
    }

    // Any frame since the oldest unanswered ping answers it: SmartStream's pong, or data, which proves the socket alive.
    private bool Answered() => Volatile.Read(ref _framesReceived) != _framesAtUnansweredPing;

    private async Task SendPingAsync()
    {
        try
        {
            await _socket.SendAsync(PingFrame, WebSocketMessageType.Text, _life.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_life.IsStopping)
        {
            // Stopped by End or DisposeAsync.
        }
        catch (Exception) when (_socket.State == WebSocketState.Aborted)
        {
            // The transport already tore the socket down (keep-alive timeout or reset): the receive
            // loop sees the same failure with its cause and classifies it; a failed send says less.
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            End(DisconnectReason.NetworkError, $"SmartStream socket {Index}: sending ping failed: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
