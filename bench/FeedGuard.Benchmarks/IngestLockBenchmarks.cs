using BenchmarkDotNet.Attributes;
using FeedGuard.Integrity;

namespace FeedGuard.Benchmarks;

/// <summary>
/// The ingest lock's uncontended round trip, taken once per ingested message (once per tick for
/// SmartAPI). Baseline: <see cref="SemaphoreSlim"/> Wait(0) and Release, what the ingest path used
/// before <see cref="AsyncMutex"/>.
/// </summary>
[MemoryDiagnoser]
public class IngestLockBenchmarks
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly AsyncMutex _mutex = new();

    [Benchmark(Baseline = true)]
    public bool SemaphoreSlimRoundTrip()
    {
        var entered = _semaphore.Wait(0, CancellationToken.None);
        _semaphore.Release();
        return entered;
    }

    [Benchmark]
    public bool AsyncMutexRoundTrip()
    {
        var entered = _mutex.TryEnter();
        _mutex.Release();
        return entered;
    }
}
