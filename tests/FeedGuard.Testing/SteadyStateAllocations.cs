namespace FeedGuard.Testing;

/// <summary>
/// Measures what code allocates in its steady state, on the calling thread.
/// </summary>
/// <remarks>
/// The JIT compiles on the thread that runs the code (a loop's on-stack replacement, a first call), and
/// that can allocate a few bytes of runtime objects inside a measured window even after a warm-up: a
/// one-off that is not the code's steady state. So a round runs <c>iterations</c> calls, rounds repeat
/// after the warm-up, and the result is the least any round allocated. An allocation that recurs at least
/// once a round (per call, or amortized like a growing buffer) shows in every round and is never hidden.
/// </remarks>
public static class SteadyStateAllocations
{
    /// <summary>
    /// The fewest bytes any of <paramref name="rounds"/> measured rounds allocated, each round calling
    /// <paramref name="call"/> <paramref name="iterations"/> times, after as many warm-up rounds.
    /// <paramref name="sink"/> is the sum of the calls' results, for the caller to check, so nothing is optimized away.
    /// </summary>
    public static long Least(Func<long> call, out long sink, int iterations = 100_000, int rounds = 3)
    {
        ArgumentNullException.ThrowIfNull(call);
        sink = 0;
        for (var warm = 0; warm < rounds; warm++)
        {
            sink += Round(call, iterations);
        }

        var least = long.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            sink += Round(call, iterations);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }

    private static long Round(Func<long> call, int iterations)
    {
        var sum = 0L;
        for (var i = 0; i < iterations; i++)
        {
            sum += call();
        }

        return sum;
    }
}
