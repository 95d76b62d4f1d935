using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.Hosting;
using FeedGuard.Emulator.Market;
using FeedGuard.Emulator.SmartApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Emulator;

/// <summary>
/// A local broker on loopback: SmartAPI SmartStream WebSocket and REST quote endpoints, and the
/// Kite ticker WebSocket and REST quote endpoints (<see cref="KiteStreamUrl"/>), over one
/// seeded random-walk market, with fault injection in-process (<see cref="Faults"/>) and over
/// HTTP (<c>/emulator/faults</c>). Start with <see cref="StartAsync"/>; dispose to stop.
/// </summary>
public sealed partial class BrokerEmulator : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly EmulatorRuntime _runtime;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private BrokerEmulator(WebApplication app, EmulatorRuntime runtime, CancellationTokenSource stopping, Uri baseUrl)
    {
        _app = app;
        _runtime = runtime;
        _stopping = stopping;
        BaseUrl = baseUrl;
        var ws = new UriBuilder(baseUrl) { Scheme = baseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = SmartStreamEndpoint.Path };
        SmartStreamUrl = ws.Uri;
        SmartApiRestUrl = baseUrl;
    }

    /// <summary>The bound base URL, e.g. <c>http://127.0.0.1:41234/</c> (the real port when started on port 0).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The SmartStream WebSocket URL, <c>ws://127.0.0.1:PORT/smart-stream</c>.</summary>
    public Uri SmartStreamUrl { get; }

    /// <summary>The SmartAPI REST root to use in place of <c>https://apiconnect.angelone.in</c>; the quote endpoint is <c>{root}rest/secure/angelbroking/market/v1/quote</c>.</summary>
    public Uri SmartApiRestUrl { get; }

    /// <summary>Inject, list and clear faults.</summary>
    public FaultController Faults => _runtime.Faults;

    /// <summary>Live counters.</summary>
    public EmulatorCounters Counters => _runtime.Counters;

    /// <summary>The options the emulator runs with.</summary>
    public EmulatorOptions Options => _runtime.Options;

    /// <summary>
    /// Starts an emulator and returns once it accepts connections.
    /// </summary>
    /// <param name="options">Settings; null = defaults (127.0.0.1 on a free port, seed 1, strict auth).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it), e.g. a non-loopback URL.</exception>
    public static async Task<BrokerEmulator> StartAsync(EmulatorOptions? options, CancellationToken cancellationToken)
    {
        options ??= new EmulatorOptions();
        options.Validate();
        var urls = LoopbackUrls.Validate(options.Urls);
        var logger = options.LoggerFactory.CreateLogger("FeedGuard.Emulator");

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(BrokerEmulator).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;

            // Kite's /quote/ltp takes up to 1000 repeated i=EXCHANGE:SYMBOL in the query string.
            k.Limits.MaxRequestLineSize = 128 * 1024;
        });
        builder.WebHost.UseUrls(urls);
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton<ILoggerFactory>(new WithoutRequestLines(options.LoggerFactory));
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = StopTimeout);

        var stopping = new CancellationTokenSource();
        var registry = new ConnectionRegistry();
        var faults = new FaultController(options.TimeProvider, logger, registry);
        var market = new MarketSimulator(options, logger);
        var runtime = new EmulatorRuntime(options, logger, market, faults, registry, new EmulatorCounters(), stopping.Token);

        var app = builder.Build();
        app.UseRouting();
        MapEndpoints(app, runtime);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            faults.Dispose();
            stopping.Dispose();
            throw;
        }

        market.Start();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("Kestrel reported no bound address.");
        var baseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        var baseText = baseUrl.ToString();
        Log.EmulatorStarted(logger, baseText, options.Seed);
        return new BrokerEmulator(app, runtime, stopping, baseUrl);
    }

    /// <summary>The well-formed ticks sent for an instrument, oldest first (bounded by <see cref="EmulatorOptions.SentLogCapacity"/>).</summary>
    /// <param name="exchangeType">Exchange type code (1 = nse_cm …).</param>
    /// <param name="token">Exchange token.</param>
    public IReadOnlyList<SentTick> GetSentTicks(byte exchangeType, string token) =>
        _runtime.Market.Find(new InstrumentKey(exchangeType, token))?.SentLog() ?? [];

    /// <summary>Well-formed packets sent for an instrument over all sockets and modes.</summary>
    /// <param name="exchangeType">Exchange type code.</param>
    /// <param name="token">Exchange token.</param>
    public long GetPacketsSent(byte exchangeType, string token) =>
        _runtime.Market.Find(new InstrumentKey(exchangeType, token))?.PacketsSent ?? 0;

    /// <summary>The highest sequence number sent for an instrument, or 0 if none was sent.</summary>
    /// <param name="exchangeType">Exchange type code.</param>
    /// <param name="token">Exchange token.</param>
    public long GetLastSentSequence(byte exchangeType, string token) =>
        _runtime.Market.Find(new InstrumentKey(exchangeType, token))?.LastSentSequence ?? 0;

    /// <summary>
    /// The market's latest state of an instrument (what REST answers), or false when nobody has
    /// asked for it yet or the token is unknown.
    /// </summary>
    /// <param name="exchangeType">Exchange type code.</param>
    /// <param name="token">Exchange token.</param>
    /// <param name="lastTradedPrice">LTP in paise (10^-7 rupee for exchange type 13).</param>
    /// <param name="sequence">The sequence number of that state.</param>
    public bool TryGetLatest(byte exchangeType, string token, out long lastTradedPrice, out long sequence)
    {
        var snapshot = _runtime.Market.Find(new InstrumentKey(exchangeType, token))?.Snapshot();
        lastTradedPrice = snapshot?.LastTradedPrice ?? 0;
        sequence = snapshot?.Sequence ?? 0;
        return snapshot is not null;
    }

    /// <summary>Stops listening, resets every open socket and stops the market.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _runtime.Faults.Dispose();
        _runtime.Connections.DropAll(null);
        using (var timeout = new CancellationTokenSource(StopTimeout, _runtime.Time))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        await _runtime.Market.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        Log.EmulatorStopped(_runtime.Logger);
    }

    private static void MapEndpoints(WebApplication app, EmulatorRuntime runtime)
    {
        var stream = new SmartStreamEndpoint(runtime);
        var rest = new SmartRestEndpoint(runtime);
        var control = new FaultEndpoints(runtime);
        app.Map(SmartStreamEndpoint.Path, stream.HandleAsync);

        // Routing matches with or without a trailing slash (the docs show one, the SDKs send none).
        app.MapPost(SmartRestEndpoint.QuotePath, rest.QuoteAsync);
        app.MapPost(SmartRestEndpoint.LtpDataPath, rest.LtpDataAsync);
        app.MapPost(SmartRestEndpoint.LtpDataServicePath, rest.LtpDataAsync);
        app.MapGet(FaultEndpoints.FaultsPath, control.ListAsync);
        app.MapPost(FaultEndpoints.FaultsPath, control.InjectAsync);
        app.MapDelete(FaultEndpoints.FaultsPath, control.ClearAllAsync);
        app.MapDelete(FaultEndpoints.FaultsPath + "/{id}", control.ClearOneAsync);
        app.MapGet(FaultEndpoints.StatsPath, control.StatsAsync);
        MapKiteEndpoints(app, runtime);
    }
}
