using FeedGuard.Hosting.Options;
using FeedGuard.Kite;
using FeedGuard.Nats.Publishing;
using FeedGuard.SmartApi;

namespace FeedGuard.Hosting;

/// <summary>
/// Everything <c>AddFeedGuard</c> reads from the <c>FeedGuard</c> configuration section, already
/// parsed. Immutable; built and validated once, at start, with errors that name the bad key.
/// </summary>
public sealed record FeedGuardOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "FeedGuard";

    /// <summary>The broker (<c>FeedGuard:Broker</c>); required.</summary>
    public FeedGuardBroker Broker { get; init; }

    /// <summary>The feed's instruments, thresholds and policies (the top-level keys of the section).</summary>
    public MarketFeedOptions Feed { get; init; } = new();

    /// <summary>
    /// How long the feed may stay <c>connecting</c> before the health check calls it unhealthy
    /// (<c>FeedGuard:ConnectingGracePeriod</c>). Default 30 s.
    /// </summary>
    public TimeSpan ConnectingGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>SmartAPI settings and credentials (<c>FeedGuard:SmartApi:*</c>).</summary>
    public SmartApiOptions SmartApi { get; init; } = new();

    /// <summary>Kite settings and credentials (<c>FeedGuard:Kite:*</c>). With neither <c>ApiKey</c> nor <c>AccessToken</c> set, broker Kite runs in demo mode.</summary>
    public KiteOptions Kite { get; init; } = new();

    /// <summary>Emulator location (<c>FeedGuard:Emulator:*</c>).</summary>
    public EmulatorSettings Emulator { get; init; } = new();

    /// <summary>
    /// Publishing to NATS JetStream (<c>FeedGuard:Nats:*</c>); null, the default, when
    /// <c>FeedGuard:Nats:Url</c> is not set: the gateway then needs no server.
    /// </summary>
    public NatsPublisherOptions? Nats { get; init; }

    /// <summary>
    /// True when the data is not real: the broker is the emulator (the SmartAPI client against its
    /// SmartAPI endpoint), or Kite without credentials (the Kite client against its Kite endpoint).
    /// </summary>
    public bool Demo => Broker == FeedGuardBroker.Emulator || KiteDemo;

    /// <summary>Broker Kite with neither credential set: the real Kite client against the emulator's Kite endpoint.</summary>
    internal bool KiteDemo => Broker == FeedGuardBroker.Kite && string.IsNullOrWhiteSpace(Kite.ApiKey) && string.IsNullOrWhiteSpace(Kite.AccessToken);
}
