using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Testing;

/// <summary>
/// A fake clock that notes the due time of every timer created on it, so a test can wait (bounded)
/// until code running on the thread pool has started a wait (a pacer's <c>Task.Delay</c>) before it
/// moves the clock past that wait. Advancing earlier would race that code: the wait would then start
/// after the advance, count from the later time, and never end.
/// </summary>
public sealed class WaitClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<TimeSpan> _dueTimes = [];

    /// <summary>How many timers were created with <paramref name="due"/> as their due time.</summary>
    public int TimersDueIn(TimeSpan due)
    {
        lock (_dueTimes)
        {
            return _dueTimes.Count(d => d == due);
        }
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> timers due in <paramref name="due"/> were created, or <paramref name="done"/> holds.</summary>
    public void WaitForTimers(TimeSpan due, int count, Func<bool>? done = null)
    {
        if (!SpinWait.SpinUntil(() => TimersDueIn(due) >= count || done?.Invoke() == true, TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"expected {count} timers due in {due}, saw {TimersDueIn(due)}");
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_dueTimes)
        {
            _dueTimes.Add(dueTime);
        }

        return timer;
    }
}
