using System.Diagnostics;

namespace FeedGuard.IntegrationTests.Contract;

/// <summary>Bounded waits on a condition over real time: never a fixed sleep.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> holds; returns how long it took; throws after <paramref name="bound"/>.</summary>
    public static async Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan bound, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > bound)
            {
                throw new TimeoutException($"Not true within {bound.TotalSeconds:0.###} s: {what()}");
            }

            await Task.Delay(Poll);
        }

        return clock.Elapsed;
    }

    /// <summary>Checks that <paramref name="condition"/> holds throughout <paramref name="duration"/> (for "nothing happens" claims).</summary>
    public static async Task AlwaysAsync(Func<bool> condition, TimeSpan duration, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            if (!condition())
            {
                throw new InvalidOperationException($"Stopped being true after {clock.Elapsed.TotalSeconds:0.###} s: {what()}");
            }

            await Task.Delay(Poll);
        }
    }
}
