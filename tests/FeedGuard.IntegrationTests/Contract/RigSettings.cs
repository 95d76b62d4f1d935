using FeedGuard.Emulator;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedGuard.IntegrationTests.Contract;

/// <summary>How a <see cref="BrokerRig"/> is built; every hook starts from the rig's fast defaults.</summary>
internal sealed record RigSettings
{
    public int InstrumentCount { get; init; } = 3;

    /// <summary>The feed mode; null = the broker's contract mode (<see cref="ContractBroker.Mode"/>).</summary>
    public FeedMode? Mode { get; init; }

    public double TicksPerSecond { get; init; } = 10;

    public Func<MarketFeedOptions, MarketFeedOptions> Feed { get; init; } = o => o;

    public Func<EmulatorOptions, EmulatorOptions> Emulator { get; init; } = o => o;

    /// <summary>Broker-neutral changes to the client: each broker maps them onto its own options.</summary>
    public ClientSettings Client { get; init; } = new();

    /// <summary>Quote requests per second the emulator allows; null = the broker's rig default (generous).</summary>
    public double? QuoteRequestsPerSecond { get; init; }

    public ILoggerFactory Logging { get; init; } = NullLoggerFactory.Instance;
}

/// <summary>Client changes a contract test needs, whatever the broker calls them.</summary>
internal sealed record ClientSettings
{
    /// <summary>Time allowed for one REST quote request; null = the rig's 2 s.</summary>
    public TimeSpan? PollRequestTimeout { get; init; }

    /// <summary>Time allowed for the stream's handshake and subscribe; null = the rig's 3 s.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>Connect with an access token the broker does not know.</summary>
    public bool WrongToken { get; init; }
}
