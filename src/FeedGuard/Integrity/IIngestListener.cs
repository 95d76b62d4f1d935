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
    /// <summary>
    /// Called once per stream batch that held a tick not older than what was delivered, with the
    /// receive time of the last such tick.
    /// </summary>
    /// <returns>True exactly once per connection: for its first batch with a fresh tick.</returns>
    bool MarkFresh(long receiveTimeUtcTicks);
}
