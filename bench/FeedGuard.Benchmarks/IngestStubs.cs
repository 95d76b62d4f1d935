using FeedGuard.Integrity;
using FeedGuard.Ticks;

namespace FeedGuard.Benchmarks;

/// <summary>A stream connection as the ingest path sees it: fresh once, like the feed's own observer.</summary>
internal sealed class BenchStreamProbe : IStreamProbe
{
    private int _fresh;

    public bool MarkFresh(long receiveTimeUtcTicks) => Volatile.Read(ref _fresh) == 0 && Interlocked.Exchange(ref _fresh, 1) == 0;
}

/// <summary>The supervisor's side of the ingest path, which a benchmark of the tick path does not need.</summary>
internal sealed class NoOpIngestListener : IIngestListener
{
    public void OnFirstFreshStreamTick(IStreamProbe stream)
    {
    }

    public void OnInstrumentResumed(InstrumentBook book, DateTimeOffset? lastTickAt, in Tick tick)
    {
    }
}
