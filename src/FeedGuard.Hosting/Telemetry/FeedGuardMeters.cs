namespace FeedGuard.Hosting.Telemetry;

/// <summary>The meter names to export (for example <c>metrics.AddMeter(FeedGuardMeters.All)</c> with OpenTelemetry).</summary>
public static class FeedGuardMeters
{
    /// <summary>The core's meter: ticks by source, drops, malformed frames, reconnects, mode, last tick age.</summary>
    public const string Core = "FeedGuard";

    /// <summary>Per-instrument gauges added by the hosting package: age, stale, last price.</summary>
    public const string Instruments = "FeedGuard.Instruments";

    /// <summary>The NATS publisher's meter, when <c>FeedGuard:Nats:Url</c> is set: connected, published, duplicates, errors, overflowed, buffered, lag.</summary>
    public const string Nats = global::FeedGuard.Nats.Publishing.NatsTickPublisher.MeterName;

    /// <summary>Every meter.</summary>
    public static IReadOnlyList<string> All { get; } = [Core, Instruments, Nats];
}
