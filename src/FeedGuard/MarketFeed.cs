using System.Collections.Concurrent;
using System.Security.Cryptography;
using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.Integrity;
using FeedGuard.Simulation;
using FeedGuard.Sources;
using FeedGuard.Telemetry;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;

namespace FeedGuard;

/// <summary>
/// The feed supervisor: one continuous, ordered, de-duplicated tick stream whatever the broker
/// feed does. It streams from <see cref="IStreamingSource"/>, fails over to polling at once when the
/// stream dies or goes quiet (to simulation only where allowed), reconnects in the background with
/// backoff, and switches back once the stream has proven itself. Status and events say, at every
/// moment, where the data comes from and how fresh it is.
/// </summary>
/// <remarks>
/// All state changes run one at a time on a serial executor (never two reconnects at once, never a
/// half-made transition); ticks bypass it and go straight through the ingest path to the
/// subscribers' bounded buffers. No user code runs on a source's receive loop, except an inline
/// subscriber's handler (<see cref="SubscribeInline"/>), which its subscriber chose for the latency.
/// </remarks>
public sealed partial class MarketFeed : IAsyncDisposable
{
    private readonly MarketFeedOptions _options;
    private readonly IStreamingSource _streamingSource;
    private readonly IPollingSource? _pollingSource;
    private readonly ICredentialsProvider? _credentialsProvider;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<double> _random;
    private readonly SessionCalendar _calendar;
    private readonly InstrumentBook[] _books;
    private readonly TickHub _hub;
    private readonly TickIngest _ingest;
    private readonly EventHub _events;
    private readonly FeedMetrics _metrics;
    private readonly StreamRequest _request;
    private readonly SimulatedSource _simulator;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly Lock _defaultSubscriptionLock = new();
    private TickSubscription? _defaultSubscription;
    private int _started;
    private int _disposed;

    /// <summary>Builds a feed. Nothing connects until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Instruments, thresholds and policies; validated here.</param>
    /// <param name="streamingSource">The broker's stream.</param>
    /// <param name="pollingSource">The broker's REST snapshot, the first fallback; optional.</param>
    /// <param name="services">Clock, logging, metrics, jitter and credentials; defaults when null.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message names every bad key.</exception>
    public MarketFeed(MarketFeedOptions options, IStreamingSource streamingSource, IPollingSource? pollingSource = null, MarketFeedServices? services = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(streamingSource);
        options.ThrowIfInvalid();
        services ??= new MarketFeedServices();
        _options = options;
        _streamingSource = streamingSource;
        _pollingSource = pollingSource;
        _credentialsProvider = services.CredentialsProvider;
        _time = services.TimeProvider;
        _logger = services.LoggerFactory.CreateLogger<MarketFeed>();
        _random = services.Randomizer;
        _calendar = new SessionCalendar(options.Sessions);
        Instruments = new InstrumentRegistry(options.Instruments);
        _books = [.. Instruments.All.Select(i => new InstrumentBook(i, options.RecentTicksPerInstrument))];
        _events = new EventHub(options.EventHistory, _time);
        _hub = new TickHub(Instruments.Count, OnSlowEpisodeStarted, OnInlineHandlerFailed, _time);
        _ingest = new TickIngest(_books, _hub, new IngestListener(this), options.FutureTolerance, _time);
        _request = new StreamRequest(Instruments, options.FeedMode);
        var sourceProblems = streamingSource.Validate(_request).Concat(pollingSource?.Validate(_request) ?? []).ToList();
        if (sourceProblems.Count > 0)
        {
            throw new ArgumentException($"Feed '{options.Name}' cannot serve this configuration: " + string.Join(" ", sourceProblems));
        }

        _pollTimeout = options.PollTimeout + (pollingSource?.MinimumPollDuration(_request) ?? TimeSpan.Zero);
        _simulator = new SimulatedSource(Instruments, options.SimulationSeed ?? RandomNumberGenerator.GetInt32(int.MaxValue));
        _since = _time.GetUtcNow();
        _startedAt = _since;
        PublishStatusCore();
        _metrics = new FeedMetrics(services.MeterFactory, this);
    }

    /// <summary>The feed's name from its options.</summary>
    public string Name => _options.Name;

    /// <summary>The interned instruments this feed serves.</summary>
    public InstrumentRegistry Instruments { get; }

    /// <summary>The options the feed was built with.</summary>
    public MarketFeedOptions Options => _options;

    /// <summary>The current state.</summary>
    public FeedState State => _statusCore.State;

    /// <summary>
    /// Starts the feed: the first connect runs in the background, so this returns at once. Status
    /// says <c>connecting</c> until the stream is subscribed or the first fallback takes over.
    /// </summary>
    /// <exception cref="InvalidOperationException">The feed was already started.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"Feed '{Name}' has already been started.");
        }

        Post(HandleStart);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops the feed: status <c>stopped</c>, connection closed, background work awaited, and every
    /// subscription ends once its buffer is drained. Safe to call more than once.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Post(HandleStop);
        await Task.WhenAll(_background.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the feed and releases its timers, meter and locks.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _metrics.Dispose();
        _lifetime.Dispose();
    }

    /// <summary>
    /// A new subscriber with its own bounded buffer. Ticks delivered from now on reach it, ordered per
    /// instrument and never repeated. Dispose the subscription to leave.
    /// </summary>
    public TickSubscription Subscribe(SubscriptionOptions? options = null) => _hub.Subscribe(options ?? new SubscriptionOptions());

    /// <summary>
    /// A subscriber without a buffer: <paramref name="handler"/> is called on the ingest path, the
    /// thread that received the ticks, with each delivered batch (in two calls when the integrity gate
    /// drops a tick inside it, one for the ticks on each side), in delivery order and never two calls
    /// at once. No hand-off between threads, so no added latency and nothing is ever dropped; the price
    /// is that the next batch, every other subscriber and the socket wait while the handler runs. For
    /// strategies that keep up with the feed; anything that may block (I/O, locks, awaiting) belongs
    /// behind a buffered <see cref="Subscribe(SubscriptionOptions?)"/>. A handler that throws is
    /// counted and logged and the feed goes on; a call that returns more than
    /// <see cref="InlineSubscriptionOptions.SlowCallThreshold"/> after its batch reached the feed is
    /// reported as a slow consumer.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names the key.</exception>
    public InlineSubscription SubscribeInline(TickBatchHandler handler, InlineSubscriptionOptions? options = null) =>
        _hub.SubscribeInline(handler, options ?? new InlineSubscriptionOptions());

    /// <summary>
    /// The next tick, in the original requirements' call shape. Reads from a default subscription
    /// (see <see cref="MarketFeedOptions.DefaultSubscription"/>) created by the first call, so ticks
    /// delivered before that call are not returned.
    /// </summary>
    public ValueTask<Tick> GetNextTickAsync(CancellationToken cancellationToken = default)
    {
        if (_defaultSubscription is null)
        {
            lock (_defaultSubscriptionLock)
            {
                _defaultSubscription ??= Subscribe(_options.DefaultSubscription);
            }
        }

        return _defaultSubscription.ReadAsync(cancellationToken);
    }

    /// <summary>A new reader of the ordered event stream, from now on; bounded by <paramref name="capacity"/>.</summary>
    public EventSubscription SubscribeEvents(int capacity = 1024) => _events.Subscribe(capacity);

    /// <summary>The most recent events (up to <see cref="MarketFeedOptions.EventHistory"/>), oldest first.</summary>
    public IReadOnlyList<FeedEvent> GetRecentEvents() => _events.Recent();

    /// <summary>The last delivered tick of <paramref name="instrument"/>.</summary>
    public bool TryGetLatest(InstrumentKey instrument, out Tick tick)
    {
        if (Instruments.TryGet(instrument, out var interned))
        {
            return _books[interned.Id].TryGetLatest(out tick);
        }

        tick = default;
        return false;
    }

    /// <summary>The rolling window of recent delivered ticks of <paramref name="instrument"/>, oldest first.</summary>
    /// <exception cref="ArgumentException">The feed does not serve that instrument.</exception>
    public IReadOnlyList<Tick> GetRecentTicks(InstrumentKey instrument) =>
        Instruments.TryGet(instrument, out var interned)
            ? _books[interned.Id].RecentTicks()
            : throw new ArgumentException($"Feed '{Name}' does not serve {instrument}.", nameof(instrument));

    /// <summary>
    /// Tells the feed that the credentials changed (for example after a new login). If reconnects were
    /// stopped by an auth rejection, they resume at once.
    /// </summary>
    public void NotifyCredentialsChanged() => Post(HandleCredentialsChanged);

    private void Track(Task task)
    {
        if (task.IsCompleted)
        {
            return;
        }

        _background.TryAdd(task, 0);
        task.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _background, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // Reported at most once per subscriber per TickHub.ReportInterval, with the episodes held back since
    // the last report: a conflating reader a little behind a busy market starts an episode at every read.
    private void OnSlowEpisodeStarted(SubscriberBuffer buffer)
    {
        var episodes = 1L;
        if (buffer.SlowReports is { } reports && !reports.TryReport(out episodes))
        {
            return;
        }

        if (buffer is InlineSubscriber)
        {
            Log.SlowInlineHandler(_logger, Name, buffer.Name, episodes);
        }
        else
        {
            Log.SlowConsumer(_logger, Name, buffer.Name, buffer.Policy, buffer.Capacity, episodes);
        }

        _events.Publish(new SlowConsumerEvent(buffer.Name, buffer.Policy, buffer.Capacity) { Episodes = episodes });
    }

    // Every failure is counted; the log gets each subscriber's first and then at most one per interval with
    // the count, so a handler that throws on every tick cannot flood it. Called under the ingest lock.
    private void OnInlineHandlerFailed(InlineSubscriber subscriber, Exception exception)
    {
        if (subscriber.FailureReports is { } reports && !reports.TryReport(out _))
        {
            return;
        }

        Log.InlineHandlerFailed(_logger, Name, subscriber.Name, subscriber.Errors, exception);
    }

    /// <summary>Bridges the ingest path's rare notifications onto the serial executor.</summary>
    private sealed class IngestListener(MarketFeed feed) : IIngestListener
    {
        public void OnFirstFreshStreamTick(IStreamProbe stream) => feed.Post(() => feed.HandleFirstFreshTick((StreamObserver)stream));

        // Nothing served the instrument between its last tick and this one, whatever tier brings it back.
        public void OnInstrumentResumed(InstrumentBook book, DateTimeOffset? lastTickAt, in Tick tick) =>
            feed._events.Publish(new GapEvent(book.Instrument, lastTickAt ?? feed._startedAt, tick.ReceiveTime, GapCoverage.None));
    }
}
