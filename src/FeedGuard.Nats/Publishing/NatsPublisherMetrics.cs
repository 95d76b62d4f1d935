using System.Diagnostics.Metrics;

namespace FeedGuard.Nats.Publishing;

/// <summary>
/// The publisher's instruments on the <see cref="NatsTickPublisher.MeterName"/> meter, read from
/// <see cref="NatsTickPublisher.GetStatus"/> only when a metrics listener collects.
/// </summary>
internal sealed class NatsPublisherMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public NatsPublisherMetrics(IMeterFactory? meterFactory, string feedName, Func<NatsPublisherStatus> status)
    {
        var tags = new KeyValuePair<string, object?>[] { new("feed", feedName) };
        if (meterFactory is null)
        {
            _meter = new Meter(NatsTickPublisher.MeterName, null, tags);
            _ownsMeter = true;
        }
        else
        {
            _meter = meterFactory.Create(new MeterOptions(NatsTickPublisher.MeterName) { Tags = tags });
        }

        _meter.CreateObservableGauge("feedguard.nats.connected", () => status().Connected ? 1 : 0, null, "1 while connected to NATS with the stream in place.");
        _meter.CreateObservableCounter("feedguard.nats.published", () => status().Published, "{tick}", "Ticks JetStream stored.");
        _meter.CreateObservableCounter("feedguard.nats.duplicates", () => status().Duplicates, "{tick}", "Ticks JetStream dropped as copies (another gateway's, a republish).");
        _meter.CreateObservableCounter("feedguard.nats.publish_errors", () => status().PublishErrors, "{tick}", "Publishes that failed and were retried.");
        _meter.CreateObservableCounter("feedguard.nats.overflowed", () => status().Overflowed, "{tick}", "Ticks lost because the publisher's buffer was full.");
        _meter.CreateObservableGauge("feedguard.nats.buffered", () => status().Buffered, "{tick}", "Ticks waiting to be published.");
        _meter.CreateObservableGauge("feedguard.nats.lag", () => status().Lag.TotalSeconds, "s", "Age of the oldest tick not yet acknowledged by JetStream.");
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
