using System.Diagnostics.Metrics;
using FeedGuard.Emulator;
using FeedGuard.Hosting.Brokers;
using FeedGuard.Hosting.Telemetry;
using FeedGuard.Nats.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FeedGuard.Hosting;

/// <summary>
/// The running gateway: the validated options, the broker sources and the <see cref="MarketFeed"/>,
/// built once when the host starts (the emulator broker needs its port before the sources exist).
/// Registered as a singleton by <c>AddFeedGuard</c>.
/// </summary>
public sealed class FeedGuardGateway : IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _buildGate = new(1, 1);
    private FeedSources? _sources;
    private MarketFeed? _feed;
    private InstrumentMetrics? _metrics;
    private NatsTickPublisher? _publisher;
    private int _disposed;

    /// <summary>Created by the container.</summary>
    /// <param name="options">Validated options.</param>
    /// <param name="services">Where the broker factories, clock and logging come from.</param>
    public FeedGuardGateway(IOptions<FeedGuardOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        _services = services;
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("FeedGuard.Hosting");
    }

    /// <summary>The validated options.</summary>
    public FeedGuardOptions Options { get; }

    /// <summary>The broker.</summary>
    public FeedGuardBroker Broker => Options.Broker;

    /// <summary>True when prices are not real (the emulator broker).</summary>
    public bool Demo => Options.Demo;

    /// <summary>The feed, once built; null before the host started.</summary>
    public MarketFeed? Feed => Volatile.Read(ref _feed);

    /// <summary>The in-process emulator, when the gateway started one.</summary>
    public BrokerEmulator? Emulator => _sources?.Emulator;

    /// <summary>The emulator's base URL (in-process or external), when the broker is the emulator.</summary>
    public Uri? EmulatorUrl => _sources?.EmulatorUrl;

    /// <summary>The NATS JetStream publisher, once started; null when <c>FeedGuard:Nats:Url</c> is not set.</summary>
    public NatsTickPublisher? Publisher => Volatile.Read(ref _publisher);

    /// <summary>Builds the sources and the feed on first call (starting the in-process emulator if needed); later calls return the same feed.</summary>
    /// <param name="cancellationToken">Cancels the build.</param>
    public async ValueTask<MarketFeed> GetFeedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _feed) is { } built)
        {
            return built;
        }

        await _buildGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_feed is not null)
            {
                return _feed;
            }

            var factory = _services.GetServices<IFeedSourceFactory>().LastOrDefault(f => f.Broker == Options.Broker)
                ?? throw new InvalidOperationException($"FeedGuard:Broker is {Options.Broker}, but {Options.Broker} support is not available in this build.");
            var sources = await factory.CreateAsync(Options, _services, cancellationToken).ConfigureAwait(false);
            MarketFeed feed;
            try
            {
                feed = new MarketFeed(Options.Feed, sources.Streaming, sources.Polling, new MarketFeedServices
                {
                    TimeProvider = _services.GetRequiredService<TimeProvider>(),
                    LoggerFactory = _services.GetRequiredService<ILoggerFactory>(),
                    MeterFactory = _services.GetService<IMeterFactory>(),
                });
            }
            catch
            {
                await DisposeSourcesAsync(sources).ConfigureAwait(false);
                throw;
            }

            _sources = sources;
            _metrics = new InstrumentMetrics(_services.GetService<IMeterFactory>(), feed);
            Volatile.Write(ref _feed, feed);
            return feed;
        }
        finally
        {
            _buildGate.Release();
        }
    }

    /// <summary>Builds (if needed) and starts the feed; logs the broker and, in demo mode, that prices are not real.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var feed = await GetFeedAsync(cancellationToken).ConfigureAwait(false);
        Log.GatewayStarting(_logger, Broker, feed.Instruments.Count, Options.Feed.FeedMode, Demo);
        if (Demo && EmulatorUrl is { } url)
        {
            Log.DemoMode(_logger, url.ToString());
        }

        // Subscribed before the feed starts, so the bus gets the first tick too. NATS being down does
        // not stop the start: the publisher buffers and reports it.
        if (Options.Nats is { } nats && Volatile.Read(ref _publisher) is null)
        {
            var publisher = new NatsTickPublisher(feed, nats, _services.GetRequiredService<TimeProvider>(), _services.GetRequiredService<ILoggerFactory>(), _services.GetService<IMeterFactory>());
            await publisher.StartAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _publisher, publisher);
        }

        await feed.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the feed (status <c>stopped</c>, sockets closed), then the in-process emulator.</summary>
    /// <param name="cancellationToken">Gives up waiting for background work.</param>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _feed) is { } feed)
        {
            await feed.StopAsync(cancellationToken).ConfigureAwait(false);

            // After the feed: the publisher gets every tick the feed delivered before it stopped.
            if (Interlocked.Exchange(ref _publisher, null) is { } publisher)
            {
                await publisher.DisposeAsync().ConfigureAwait(false);
            }

            if (_sources?.Emulator is { } emulator)
            {
                await emulator.DisposeAsync().ConfigureAwait(false);
            }

            Log.GatewayStopped(_logger);
        }
    }

    /// <summary>Disposes the feed, its sources' resources and the in-process emulator.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _buildGate.WaitAsync().ConfigureAwait(false);
        try
        {
            _metrics?.Dispose();
            if (Interlocked.Exchange(ref _publisher, null) is { } publisher)
            {
                await publisher.DisposeAsync().ConfigureAwait(false);
            }

            if (_feed is not null)
            {
                await _feed.DisposeAsync().ConfigureAwait(false);
            }

            if (_sources is not null)
            {
                await DisposeSourcesAsync(_sources).ConfigureAwait(false);
            }
        }
        finally
        {
            _buildGate.Release();
            _buildGate.Dispose();
        }
    }

    private static async ValueTask DisposeSourcesAsync(FeedSources sources)
    {
        foreach (var resource in sources.Resources)
        {
            resource.Dispose();
        }

        if (sources.Emulator is not null)
        {
            await sources.Emulator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
