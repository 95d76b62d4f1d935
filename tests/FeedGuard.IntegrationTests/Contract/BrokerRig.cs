using System.Diagnostics;
using System.Text.Json;
using FeedGuard.Buffers;
using FeedGuard.Emulator;
using FeedGuard.Emulator.Faults;
using FeedGuard.Failover;
using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.Reconnect;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.Contract;

/// <summary>
/// The real thing over loopback, for any broker: the broker emulator, the broker's real streaming
/// and polling sources (a real <see cref="HttpClient"/>), and a real <see cref="MarketFeed"/> on the
/// system clock, with settings short enough that every failover and recovery takes seconds. A
/// lossless recorder and an event reader watch what a user of the feed would see.
/// </summary>
internal sealed class BrokerRig : IAsyncDisposable
{
    /// <summary>The feed polls every 250 ms; the real brokers' 1 request/s would refuse most polls.</summary>
    public const double RigQuoteRequestsPerSecond = 20;

    private readonly HttpClient _http;

    private BrokerRig(ContractBroker broker, BrokerEmulator emulator, MarketFeed feed, HttpClient http, TickRecorder ticks, EventRecorder events, BrokerSources sources)
    {
        Broker = broker;
        Emulator = emulator;
        Feed = feed;
        _http = http;
        Ticks = ticks;
        Events = events;
        Sources = sources;
    }

    public ContractBroker Broker { get; }

    public BrokerEmulator Emulator { get; }

    public MarketFeed Feed { get; }

    public TickRecorder Ticks { get; }

    public EventRecorder Events { get; }

    public BrokerSources Sources { get; }

    public EmulatorCounters Counters => Emulator.Counters;

    public FeedState State => Feed.GetStreamStatus().Status;

    public string StatusJson => JsonSerializer.Serialize(Feed.GetStreamStatus());

    public static EmulatorOptions EmulatorOptionsFor(ContractBroker broker, RigSettings settings, IReadOnlyList<InstrumentKey> instruments) =>
        settings.Emulator(broker.ConfigureEmulator(
            new EmulatorOptions { Seed = 7, TicksPerSecond = settings.TicksPerSecond, LoggerFactory = settings.Logging },
            instruments,
            settings.QuoteRequestsPerSecond ?? RigQuoteRequestsPerSecond));

    public static MarketFeedOptions FeedOptionsFor(ContractBroker broker, RigSettings settings, IReadOnlyList<InstrumentKey> instruments) => settings.Feed(new MarketFeedOptions
    {
        Name = "it",
        Instruments = instruments,
        FeedMode = settings.Mode ?? broker.Mode,
        HeartbeatThreshold = TimeSpan.FromSeconds(3), // above every client's own liveness deadline (≤ 1.5 s), so a stall is the client's to see
        FrameTimeout = TimeSpan.FromSeconds(4), // above the clients' deadlines with room for a loaded machine
        HealthCheckInterval = TimeSpan.FromMilliseconds(100),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PromoteWindow = TimeSpan.FromSeconds(1),
        PollInterval = TimeSpan.FromMilliseconds(250),
        PollTimeout = TimeSpan.FromSeconds(3),
        PollRateLimitCooldown = TimeSpan.FromSeconds(1),
        Reconnect = new ReconnectOptions
        {
            BaseDelay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(1),
            Cooldown = TimeSpan.FromSeconds(1),
            RateLimitCooldown = TimeSpan.FromSeconds(1),
            StabilityWindow = TimeSpan.FromSeconds(5),
        },
        Sessions = new SessionCalendarOptions { AlwaysOpen = true },
    });

    /// <summary>A feed (not started) named <paramref name="name"/> on the broker's real sources against <paramref name="emulator"/>, with the HttpClient its polling uses.</summary>
    public static (MarketFeed Feed, HttpClient Http, BrokerSources Sources) BuildFeed(ContractBroker broker, BrokerEmulator emulator, RigSettings settings, string name)
    {
        var instruments = broker.Instruments(settings.InstrumentCount);
        var http = new HttpClient();
        var sources = broker.CreateSources(emulator, http, settings.Client, settings.Logging);
        var options = FeedOptionsFor(broker, settings, instruments) with { Name = name };
        return (new MarketFeed(options, sources.Streaming, sources.Polling, new MarketFeedServices { LoggerFactory = settings.Logging }), http, sources);
    }

    public static async Task<BrokerRig> StartAsync(ContractBroker broker, RigSettings? settings = null)
    {
        settings ??= new RigSettings();
        var instruments = broker.Instruments(settings.InstrumentCount);
        var emulator = await BrokerEmulator.StartAsync(EmulatorOptionsFor(broker, settings, instruments), CancellationToken.None);
        try
        {
            var (feed, http, sources) = BuildFeed(broker, emulator, settings, "it");
            var ticks = new TickRecorder(feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 100_000 }));
            var events = new EventRecorder(feed.SubscribeEvents(100_000));
            await feed.StartAsync();
            return new BrokerRig(broker, emulator, feed, http, ticks, events, sources);
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>Injects a fault on this broker's endpoints only.</summary>
    public ActiveFault Inject(FaultSpec fault) => Emulator.Faults.Inject(fault with { Broker = Broker.Name });

    public void Clear(long id) => Emulator.Faults.Clear(id);

    /// <summary>Waits until the feed streams and the stream has delivered ticks for every instrument.</summary>
    public async Task WaitStreamingAsync(TimeSpan? bound = null)
    {
        var since = Stopwatch.GetTimestamp();
        await Eventually.UntilAsync(
            () => State == FeedState.Streaming && Feed.Instruments.All.All(i => Ticks.Since(since, TickSource.Stream).Any(t => t.Instrument == i)),
            bound ?? TimeSpan.FromSeconds(10),
            () => $"streaming with ticks for every instrument; status {StatusJson}");
    }

    /// <summary>Waits until every instrument has a tick from <paramref name="source"/> received at or after <paramref name="since"/>.</summary>
    public Task EveryInstrumentServedAsync(long since, TickSource source, string what, TimeSpan? bound = null) =>
        Eventually.UntilAsync(
            () => Feed.Instruments.All.All(i => Ticks.Since(since, source).Any(t => t.Instrument == i)),
            bound ?? TimeSpan.FromSeconds(5),
            () => $"{what}; status {StatusJson}");

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        await Ticks.DisposeAsync();
        await Events.DisposeAsync();
        _http.Dispose();
        await Emulator.DisposeAsync();
    }
}
