namespace FeedGuard.Emulator.Hosting;

/// <summary>
/// A request-rate limiter: capacity = one second's worth of requests (at least 1), refilled
/// continuously on the emulator's clock. A rate of 0 never limits.
/// </summary>
internal sealed class TokenBucket
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly double _ratePerSecond;
    private readonly double _capacity;
    private double _tokens;
    private long _lastRefill;

    public TokenBucket(TimeProvider time, double ratePerSecond)
    {
        _time = time;
        _ratePerSecond = ratePerSecond;
        _capacity = Math.Max(1, ratePerSecond);
        _tokens = _capacity;
        _lastRefill = time.GetTimestamp();
    }

    public bool TryTake()
    {
        if (_ratePerSecond <= 0)
        {
            return true;
        }

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (_time.GetElapsedTime(_lastRefill, now).TotalSeconds * _ratePerSecond));
            _lastRefill = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
