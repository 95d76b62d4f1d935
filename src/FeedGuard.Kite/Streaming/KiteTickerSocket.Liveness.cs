using System.Globalization;
using FeedGuard.Sources;

namespace FeedGuard.Kite.Streaming;

// Liveness: the ticker sends a 1-byte heartbeat every second or two when it has nothing else, so a
// socket that delivers no frame of any kind for HeartbeatTimeout is dead (NoData). One TimeProvider
// timer, re-armed for the time remaining since the last frame, so a fake clock drives it exactly.
// The runtime's keep-alive PING (KeepAliveInterval/Timeout) can sit underneath; it is off by default,
// since silence for HeartbeatTimeout already catches half-open TCP, and sooner.
internal sealed partial class KiteTickerSocket
{
    private readonly Lock _livenessLock = new();
    private ITimer? _livenessTimer;
    private bool _livenessStopped;

    private void StartLiveness()
    {
        lock (_livenessLock)
        {
            _livenessTimer = _time.CreateTimer(_ => OnLivenessDue(), null, _options.HeartbeatTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private void StopLiveness()
    {
        lock (_livenessLock)
        {
            _livenessStopped = true;
            _livenessTimer?.Dispose();
        }
    }

    private void OnLivenessDue()
    {
        lock (_livenessLock)
        {
            if (_livenessStopped || _life.IsStopping)
            {
                return;
            }

            var silent = _time.GetElapsedTime(Volatile.Read(ref _lastFrameTimestamp));
            if (silent < _options.HeartbeatTimeout)
            {
                _livenessTimer?.Change(_options.HeartbeatTimeout - silent, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        var seconds = _options.HeartbeatTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        End(DisconnectReason.NoData, $"Kite ticker socket {Index}: no frame (tick or heartbeat) for {seconds} s ({KiteOptions.SectionName}:HeartbeatTimeout).");
    }
}
