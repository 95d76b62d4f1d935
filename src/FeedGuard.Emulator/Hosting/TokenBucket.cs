namespace FeedGuard.Emulator.Hosting;

/// <summary>
/// A request-rate limiter: capacity = one second's worth of requests (at least 1), refilled
/// continuously on the emulator's clock. A rate of 0 never limits.
/// </summary>
internal sealed class TokenBucket
{
    private static readonly TimeSpan JitterAllowance = TimeSpan.FromMilliseconds(50);

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
            // A client pacing at exactly the limit sees its requests arrive a few ms early now and
            // then (scheduling and network jitter); a real broker counts per window and lets that
            // pass. The early request borrows from the next token, so the long-run rate stays exact.
            if (_tokens < 1 - Math.Min(0.5, JitterAllowance.TotalSeconds * _ratePerSecond))
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
