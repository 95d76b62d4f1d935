using System.Diagnostics.Metrics;

namespace FeedGuard.Telemetry;

/// <summary>
/// The core's one <see cref="Meter"/>. Every instrument is observable: the hot path only bumps plain
/// counters, and the values are read when a metrics listener collects.
/// </summary>
internal sealed class FeedMetrics : IDisposable
{
    /// <summary>The meter name to listen to.</summary>
    public const string MeterName = "FeedGuard";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public FeedMetrics(IMeterFactory? meterFactory, MarketFeed feed)
    {
        var tags = new KeyValuePair<string, object?>[] { new("feed", feed.Name) };
        if (meterFactory is null)
        {
            _meter = new Meter(MeterName, null, tags);
            _ownsMeter = true;
        }
        else
        {
            _meter = meterFactory.Create(new MeterOptions(MeterName) { Tags = tags });
        }

        _meter.CreateObservableCounter("feedguard.ticks.received", () => feed.ObserveReceived(), "{tick}", "Ticks received, by source tier.");
        _meter.CreateObservableCounter("feedguard.ticks.delivered", () => feed.ObserveCounter(c => c.Delivered), "{tick}", "Ticks that passed the integrity gate.");
        _meter.CreateObservableCounter("feedguard.ticks.duplicates_dropped", () => feed.ObserveCounter(c => c.DuplicatesDropped), "{tick}", "Repeats and cross-tier overlaps dropped.");
        _meter.CreateObservableCounter("feedguard.ticks.stale_dropped", () => feed.ObserveCounter(c => c.StaleDropped), "{tick}", "Out-of-order ticks dropped.");
        _meter.CreateObservableCounter("feedguard.frames.malformed", () => feed.ObserveCounter(c => c.Malformed), "{frame}", "Frames or packets that could not be decoded.");
        _meter.CreateObservableCounter("feedguard.reconnect.attempts", () => feed.ObserveCounter(c => c.Reconnects), "{attempt}", "Reconnect attempts.");
        _meter.CreateObservableCounter("feedguard.subscriber.dropped", () => feed.ObserveSubscriberDrops(), "{tick}", "Ticks a subscriber lost to its buffer policy.");
        _meter.CreateObservableGauge("feedguard.mode", () => feed.ObserveMode(), null, "Feed state: 0 connecting, 1 streaming, 2 polling, 3 simulation, 4 error, 5 stopped.");
        _meter.CreateObservableGauge("feedguard.last_tick_age", () => feed.ObserveLastTickAge(), "s", "Seconds since the last delivered tick.");
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
