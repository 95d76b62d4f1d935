using System.Diagnostics.Metrics;

namespace FeedGuard.Hosting.Telemetry;

/// <summary>
/// Per-instrument gauges on the <see cref="FeedGuardMeters.Instruments"/> meter, read from the feed's
/// status only when a metrics listener collects (nothing on the tick path).
/// </summary>
internal sealed class InstrumentMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public InstrumentMetrics(IMeterFactory? meterFactory, MarketFeed feed)
    {
        var tags = new KeyValuePair<string, object?>[] { new("feed", feed.Name) };
        if (meterFactory is null)
        {
            _meter = new Meter(FeedGuardMeters.Instruments, null, tags);
            _ownsMeter = true;
        }
        else
        {
            _meter = meterFactory.Create(new MeterOptions(FeedGuardMeters.Instruments) { Tags = tags });
        }

        _meter.CreateObservableGauge("feedguard.instrument.last_tick_age", () => Observe(feed, s => s.LastTickAge), "s", "Seconds since the instrument's last delivered tick.");
        _meter.CreateObservableGauge("feedguard.instrument.stale", () => Observe(feed, s => s.Stale ? 1 : 0), null, "1 while the instrument's exchange is open and no tick came within the heartbeat threshold.");
        _meter.CreateObservableGauge("feedguard.instrument.last_price", () => Observe(feed, s => (double?)s.LastPrice), null, "The instrument's last delivered price (for dashboards; not exact).");
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static IEnumerable<Measurement<double>> Observe(MarketFeed feed, Func<Status.InstrumentStatus, double?> select)
    {
        foreach (var instrument in feed.GetStreamStatus().Instruments)
        {
            if (select(instrument) is { } value)
            {
                yield return new Measurement<double>(value, new KeyValuePair<string, object?>("instrument", instrument.Instrument), new KeyValuePair<string, object?>("symbol", instrument.Symbol ?? ""));
            }
        }
    }
}
