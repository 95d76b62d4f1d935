using System.Diagnostics;
using System.Text.Json;
using FeedGuard.Buffers;
using FeedGuard.Emulator;
using FeedGuard.Emulator.SmartApi;
using FeedGuard.Failover;
using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.Reconnect;
using FeedGuard.SmartApi;
using FeedGuard.SmartApi.Streaming;
using FeedGuard.SmartApi.Polling;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>How a <see cref="SmartApiRig"/> is built; every hook starts from the rig's fast defaults.</summary>
internal sealed record RigSettings
{
    public int InstrumentCount { get; init; } = 3;

    public FeedMode Mode { get; init; } = FeedMode.Ltp;

    public double TicksPerSecond { get; init; } = 10;

    public Func<MarketFeedOptions, MarketFeedOptions> Feed { get; init; } = o => o;

    public Func<SmartApiOptions, SmartApiOptions> Client { get; init; } = o => o;

    public Func<EmulatorOptions, EmulatorOptions> Emulator { get; init; } = o => o;

    public ILoggerFactory Logging { get; init; } = NullLoggerFactory.Instance;
}

/// <summary>
/// The real thing over loopback: the broker emulator, the SmartAPI streaming and polling sources
/// (a real <see cref="HttpClient"/>), and a real <see cref="MarketFeed"/> on the system clock,
/// with settings short enough that every failover and recovery takes seconds. A lossless
/// recorder and an event reader watch what a user of the feed would see.
/// </summary>
internal sealed class SmartApiRig : IAsyncDisposable
{
    // Distinctive values so the secrets test can search every byte of output for them.
    public const string ApiKey = "AK-q7Zx93VtLm";
    public const string ClientCode = "CC8841QZ";
    public const string JwtToken = "eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJDQzg4NDFRWiJ9.sig-W4kPz0Yr";
    public const string FeedToken = "FT-0x5e1d4c9b2a";

    public static readonly string[] Secrets = [ApiKey, ClientCode, JwtToken, FeedToken];

    public static readonly SmartApiEmulatorOptions EmulatorCredentials = new()
    {
        ApiKey = ApiKey,
        ClientCode = ClientCode,
        JwtToken = JwtToken,
        FeedToken = FeedToken,

        // The feed polls every 250 ms; the real broker's 1 request/s would make every poll a 403.
        QuoteRequestsPerSecond = 20,
    };

    private readonly HttpClient _http;

    private SmartApiRig(BrokerEmulator emulator, MarketFeed feed, HttpClient http, TickRecorder ticks, EventRecorder events, SmartApiOptions client)
    {
        Emulator = emulator;
        Feed = feed;
        _http = http;
        Ticks = ticks;
        Events = events;
        Client = client;
    }

    public BrokerEmulator Emulator { get; }

    public MarketFeed Feed { get; }

    public TickRecorder Ticks { get; }

    public EventRecorder Events { get; }

    public SmartApiOptions Client { get; }

    public static IReadOnlyList<InstrumentKey> Instruments(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new InstrumentKey(Exchange.Nse, (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    public static EmulatorOptions EmulatorOptionsFor(RigSettings settings) => settings.Emulator(new EmulatorOptions
    {
        Seed = 7,
        TicksPerSecond = settings.TicksPerSecond,
        SmartApi = EmulatorCredentials,
        LoggerFactory = settings.Logging,
    });

    public static SmartApiOptions ClientOptionsFor(BrokerEmulator emulator, RigSettings settings) => settings.Client(new SmartApiOptions
    {
        StreamUrl = emulator.SmartStreamUrl,
        RestUrl = emulator.SmartApiRestUrl,
        ApiKey = ApiKey,
        ClientCode = ClientCode,
        JwtToken = JwtToken,
        FeedToken = FeedToken,
        PingInterval = TimeSpan.FromMilliseconds(500),
        PongTimeout = TimeSpan.FromSeconds(1),
        KeepAliveInterval = TimeSpan.FromMilliseconds(500),
        KeepAliveTimeout = TimeSpan.FromSeconds(1),
        ConnectTimeout = TimeSpan.FromSeconds(3),
        PollRequestsPerSecond = 10,
        PollRequestTimeout = TimeSpan.FromSeconds(2),
        RateLimitCooldown = TimeSpan.FromSeconds(1),
    });

    public static MarketFeedOptions FeedOptionsFor(RigSettings settings) => settings.Feed(new MarketFeedOptions
    {
        Name = "it",
        Instruments = Instruments(settings.InstrumentCount),
        FeedMode = settings.Mode,
        HeartbeatThreshold = TimeSpan.FromSeconds(3), // well above the ping + pong deadline (1.5 s), so a stall is always seen as no pong first
        FrameTimeout = TimeSpan.FromSeconds(4), // above ping + pong deadline (1.5 s) with room for a loaded machine
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

    public static async Task<SmartApiRig> StartAsync(RigSettings? settings = null)
    {
        settings ??= new RigSettings();
        var emulator = await BrokerEmulator.StartAsync(EmulatorOptionsFor(settings), CancellationToken.None);
        try
        {
            var client = ClientOptionsFor(emulator, settings);
            var (feed, http) = BuildFeed(emulator, settings, FeedOptionsFor(settings).Name);
            var ticks = new TickRecorder(feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 100_000 }));
            var events = new EventRecorder(feed.SubscribeEvents(100_000));
            await feed.StartAsync();
            return new SmartApiRig(emulator, feed, http, ticks, events, client);
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>A feed (not started) on the SmartAPI sources against <paramref name="emulator"/>, and the HttpClient its polling uses.</summary>
    public static (MarketFeed Feed, HttpClient Http) BuildFeed(BrokerEmulator emulator, RigSettings settings, string name)
    {
        var client = ClientOptionsFor(emulator, settings);
        var http = new HttpClient();
        var streaming = new SmartApiStreamingSource(client, null, TimeProvider.System, settings.Logging);
        var polling = new SmartApiPollingSource(client, http, null, TimeProvider.System, settings.Logging);
        return (new MarketFeed(FeedOptionsFor(settings) with { Name = name }, streaming, polling, new MarketFeedServices { LoggerFactory = settings.Logging }), http);
    }

    public FeedState State => Feed.GetStreamStatus().Status;

    public string StatusJson => JsonSerializer.Serialize(Feed.GetStreamStatus());

    /// <summary>Waits until the feed streams and the stream has delivered ticks for every instrument.</summary>
    public async Task WaitStreamingAsync(TimeSpan? bound = null)
    {
        var since = Stopwatch.GetTimestamp();
        await Eventually.UntilAsync(
            () => State == FeedState.Streaming && Feed.Instruments.All.All(i => Ticks.Since(since, TickSource.Stream).Any(t => t.Instrument == i)),
            bound ?? TimeSpan.FromSeconds(10),
            () => $"streaming with ticks for every instrument; status {StatusJson}");
    }

    public static double Seconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalSeconds;

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        await Ticks.DisposeAsync();
        await Events.DisposeAsync();
        _http.Dispose();
        await Emulator.DisposeAsync();
    }
}
