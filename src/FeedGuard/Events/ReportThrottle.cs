namespace FeedGuard.Events;

/// <summary>
/// Reports a recurring condition of one subject (a subscriber falling behind, its handler throwing) at
/// most once per interval, with how many occurrences each report covers: a condition that recurs many
/// times a second becomes one log line and one event with a count, instead of flooding the log and
/// pushing everything else out of the event history. Nothing is lost: the subject's own counters stay
/// exact, and the next report carries the occurrences the interval held back.
/// </summary>
/// <remarks>
/// Thread-safe: a buffer's slow episode can start on the ingest path or on its reader's thread. The
/// lock is taken once per occurrence (an episode or a failure), never per tick.
/// </remarks>
internal sealed class ReportThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private long? _reportedAt;
    private long _held;

    /// <summary>
    /// Counts one occurrence; true when it is to be reported now, with <paramref name="occurrences"/> this
    /// one and those held back since the previous report.
    /// </summary>
    public bool TryReport(out long occurrences)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            _held++;
            if (_reportedAt is { } last && time.GetElapsedTime(last, now) < interval)
            {
                occurrences = 0;
                return false;
            }

            _reportedAt = now;
            occurrences = _held;
            _held = 0;
            return true;
        }
    }
}
