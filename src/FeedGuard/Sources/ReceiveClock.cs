namespace FeedGuard.Sources;

/// <summary>
/// A receive loop's clock: one monotonic reading per received message gives both the timestamp the
/// feed judges liveness and handler time by, and the tick's UTC receive time, derived from it.
/// Reading the wall clock as well would cost a second system clock call per message (50-80 ns on a
/// VM, several times the cost of decoding an LTP packet), so the wall clock is read only to
/// re-anchor, once the last anchor is <see cref="ReanchorAfter"/> old. Between anchors receive times
/// move with the monotonic clock; a re-anchor moves them by the drift since the last one
/// (microseconds) or by a step of the wall clock.
/// </summary>
/// <remarks>
/// Not thread-safe: one per receive loop. Give it the same <see cref="TimeProvider"/> as the feed,
/// whose supervisor takes its readings through
/// <see cref="IStreamObserver.OnTicksAsync(ReadOnlyMemory{Ticks.Tick}, long, CancellationToken)"/>.
/// </remarks>
public sealed class ReceiveClock
{
    /// <summary>
    /// How long a derived receive time may run from one wall-clock reading. A wall clock that is
    /// slewed (NTP adjusts at most 500 ppm) drifts from the monotonic one by at most 50 µs in this time;
    /// a step of the wall clock shows within it.
    /// </summary>
    public static readonly TimeSpan ReanchorAfter = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _time;
    private readonly double _utcTicksPerTimestamp;
    private readonly ulong _reanchorAfterTimestamps;
    private long _anchorTimestamp;
    private long _anchorUtcTicks;
    private bool _anchored;

    /// <summary>Creates a clock over <paramref name="time"/>, the feed's.</summary>
    public ReceiveClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _utcTicksPerTimestamp = (double)TimeSpan.TicksPerSecond / time.TimestampFrequency;
        _reanchorAfterTimestamps = (ulong)(ReanchorAfter.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Reads the clock for a message that has just arrived.</summary>
    /// <param name="receiveTimeUtcTicks">When it arrived, in UTC ticks, for its ticks' receive time.</param>
    /// <returns>When it arrived, as the time provider's timestamp (<see cref="TimeProvider.GetTimestamp"/>).</returns>
    public long Read(out long receiveTimeUtcTicks)
    {
        var timestamp = _time.GetTimestamp();
        var sinceAnchor = timestamp - _anchorTimestamp;

        // Unsigned, so a timestamp before the anchor (a provider that is not monotonic) re-anchors too.
        if (!_anchored || (ulong)sinceAnchor >= _reanchorAfterTimestamps)
        {
            _anchorUtcTicks = _time.GetUtcNow().UtcTicks;
            _anchorTimestamp = timestamp;
            _anchored = true;
            sinceAnchor = 0;
        }

        receiveTimeUtcTicks = _anchorUtcTicks + (long)(sinceAnchor * _utcTicksPerTimestamp);
        return timestamp;
    }
}
