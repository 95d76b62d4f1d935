using FeedGuard.Emulator;
using FeedGuard.Sources;

namespace FeedGuard.Hosting.Brokers;

/// <summary>What an <see cref="IFeedSourceFactory"/> built: the sources and anything they need kept alive.</summary>
/// <param name="Streaming">The broker's stream.</param>
/// <param name="Polling">The broker's REST snapshot, the first fallback.</param>
public sealed record FeedSources(IStreamingSource Streaming, IPollingSource? Polling)
{
    /// <summary>The in-process emulator the sources talk to, when the gateway started one.</summary>
    public BrokerEmulator? Emulator { get; init; }

    /// <summary>Base URL of the emulator the sources talk to (in-process or external), when the broker is the emulator.</summary>
    public Uri? EmulatorUrl { get; init; }

    /// <summary>Disposed when the gateway stops, after the feed (HTTP clients and the like).</summary>
    public IReadOnlyList<IDisposable> Resources { get; init; } = [];
}
