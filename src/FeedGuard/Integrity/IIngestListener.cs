using FeedGuard.Ticks;

namespace FeedGuard.Integrity;

/// <summary>Rare moments on the ingest path that the supervisor must hear about (never per tick).</summary>
internal interface IIngestListener
{
    /// <summary>The first fresh tick arrived on a stream connection that is on probation.</summary>
    void OnFirstFreshStreamTick(IStreamProbe stream);

    /// <summary>An instrument that had been marked stale ticked again.</summary>
    void OnInstrumentResumed(InstrumentBook book, DateTimeOffset? lastTickAt, in Tick tick);
}

/// <summary>What the ingest path knows about the stream connection a tick came from.</summary>
internal interface IStreamProbe
{
    /// <summary>Called for every stream tick that is not older than what was delivered.</summary>
    /// <returns>True exactly once per connection: for its first fresh tick.</returns>
    bool MarkFresh(long receiveTimeUtcTicks);
}
