using System.Collections.Concurrent;
using System.Threading.Channels;
using FeedGuard.Buffers;
using FeedGuard.Instruments;
using FeedGuard.Nats.Connection;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace FeedGuard.Nats.Publishing;

/// <summary>
/// Publishes every tick a <see cref="MarketFeed"/> delivers to a JetStream stream, one subject per
/// instrument, each message carrying the tick's identity as <c>Nats-Msg-Id</c> so JetStream drops
/// copies (a republish, a failover overlap, a second gateway publishing the same instruments).
/// </summary>
/// <remarks>
/// <para>The feed hands ticks to the publisher through a lossless hub subscription; the publisher moves
/// them at once into its own bounded buffer, so a slow or absent NATS never holds up the feed or its
/// other consumers. While NATS is down the buffer fills up to <see cref="NatsPublisherOptions.BufferCapacity"/>,
/// then the oldest ticks overflow (counted, logged once per episode); when NATS returns, the buffer is
/// published in order.</para>
/// <para>Publishes are pipelined (up to <see cref="NatsPublisherOptions.MaxInFlight"/> awaiting their
/// acknowledgement) on one connection, so JetStream stores each instrument's ticks in delivery order.</para>
/// </remarks>
public sealed partial class NatsTickPublisher : IAsyncDisposable
{
    /// <summary>The publisher's meter (connected, published, duplicates, errors, overflowed, buffered, lag).</summary>
    public const string MeterName = "FeedGuard.Nats";

    private const string MsgIdHeader = "Nats-Msg-Id";

    // Between the hub and the outage buffer only: the pump drains it as fast as ticks arrive.
    private const int HubCapacity = 8_192;

    private readonly MarketFeed _feed;
    private readonly NatsPublisherOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NatsConnection _connection;
    private readonly NatsJSContext _jetStream;
    private readonly Channel<Tick> _outbox;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TickIdentity _identity;
    private readonly Dictionary<Instrument, string> _subjects = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<long, Pending> _inFlight = new();
    private readonly Queue<Pending> _order = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _inbox;
    private readonly NatsPublisherMetrics _metrics;
    private Queue<Pending> _retry = new();
    private TickSubscription? _subscription;
    private Task _pump = Task.CompletedTask;
    private Task _loop = Task.CompletedTask;
    private Task _ackReader = Task.CompletedTask;
    private Task? _connecting;
    private long _nextReply;
    private long _published;
    private long _duplicates;
    private long _errors;
    private long _overflowed;
    private long _episodeStartOverflow;
    private long _oldestUnackedTicks;
    private int _retryCount;
    private volatile bool _ready;
    private volatile bool _slow;
    private volatile string? _lastError;
    private long _lastErrorAtTicks;
    private int _disposed;

    /// <summary>Creates a publisher for <paramref name="feed"/>; nothing happens until <see cref="StartAsync"/>.</summary>
    /// <param name="feed">The feed whose ticks to publish.</param>
    /// <param name="options">Where and how; validated here (throws <see cref="ArgumentException"/> naming every bad setting).</param>
    /// <param name="timeProvider">The clock for timeouts and lag. Default <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Logging. Default none.</param>
    /// <param name="meterFactory">Where the <see cref="MeterName"/> meter comes from. Default a meter of its own.</param>
    public NatsTickPublisher(MarketFeed feed, NatsPublisherOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid NATS publisher options: " + string.Join(" ", problems), nameof(options));
        }

        _feed = feed;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger("FeedGuard.Nats");
        _connection = NatsConnections.Create(options.Connection, $"feedguard-publisher-{feed.Name}", loggerFactory);
        _jetStream = new NatsJSContext(_connection);
        // Not under the client's _INBOX prefix: the client routes those subjects to its own request
        // multiplexer by exact subject, so a wildcard subscription there never sees the acks.
        _inbox = "_FEEDGUARD_ACK." + Guid.NewGuid().ToString("N");
        _identity = new TickIdentity(Guid.NewGuid().ToString("N")[..12]);

        // Drop the oldest: what is republished after an outage then joins the live ticks without a hole.
        _outbox = Channel.CreateBounded<Tick>(
            new BoundedChannelOptions(options.BufferCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => OnOverflow());
        _metrics = new NatsPublisherMetrics(meterFactory, feed.Name, GetStatus);
    }

    /// <summary>The options in use.</summary>
    public NatsPublisherOptions Options => _options;

    /// <summary>Subscribes to the feed and starts publishing in the background; returns at once (NATS may still be down).</summary>
    /// <param name="cancellationToken">Not used to stop publishing; dispose does that.</param>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_subscription is not null)
        {
            return Task.CompletedTask;
        }

        var subjects = TickSubjects.All(_options.SubjectPrefix);
        Log.PublisherStarting(_logger, _options.Connection.DisplayUrl, _options.Stream, subjects);
        _subscription = _feed.Subscribe(new SubscriptionOptions { Name = "nats-publisher", Policy = BufferPolicy.Wait, Capacity = HubCapacity });
        _pump = Task.Run(() => PumpAsync(_subscription, _stop.Token), CancellationToken.None);
        _loop = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>A snapshot of the publisher's state.</summary>
    public NatsPublisherStatus GetStatus()
    {
        var oldest = Volatile.Read(ref _oldestUnackedTicks);
        var now = _time.GetUtcNow();
        var errorAt = Volatile.Read(ref _lastErrorAtTicks);
        return new NatsPublisherStatus
        {
            Url = _options.Connection.DisplayUrl,
            Stream = _options.Stream,
            Connected = _ready && _connection.ConnectionState == NatsConnectionState.Open,
            Published = Interlocked.Read(ref _published),
            Duplicates = Interlocked.Read(ref _duplicates),
            PublishErrors = Interlocked.Read(ref _errors),
            Buffered = _outbox.Reader.Count + Volatile.Read(ref _retryCount),
            Pending = _inFlight.Count,
            BufferCapacity = _options.BufferCapacity,
            Overflowed = Interlocked.Read(ref _overflowed),
            Slow = _slow,
            Lag = oldest == 0 || oldest > now.UtcTicks ? TimeSpan.Zero : TimeSpan.FromTicks(now.UtcTicks - oldest),
            LastError = _lastError,
            LastErrorAt = errorAt == 0 ? null : new DateTimeOffset(errorAt, TimeSpan.Zero),
        };
    }

    /// <summary>
    /// Unsubscribes from the feed, publishes what is still buffered while NATS is reachable (for at
    /// most <see cref="NatsPublisherOptions.AckTimeout"/>), then closes the connection. What could not
    /// be published is logged.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_subscription is not null)
        {
            await _subscription.DisposeAsync().ConfigureAwait(false);
            await _pump.ConfigureAwait(false);
            await DrainAsync().ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_loop, _ackReader).ConfigureAwait(false);
        var status = GetStatus();
        Log.PublisherStopped(_logger, status.Published, status.Duplicates, status.PublishErrors, status.Overflowed, status.Buffered + status.Pending);
        await _connection.DisposeAsync().ConfigureAwait(false);
        if (_connecting is not null)
        {
            // Disposing the connection ends a pending connect; bounded all the same, so stopping never hangs.
            await _connecting.WaitAsync(_options.AckTimeout, _time).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }

        _metrics.Dispose();
        _stop.Dispose();
    }

    private async Task DrainAsync()
    {
        var deadline = _time.GetTimestamp();
        while (_ready && (_outbox.Reader.Count + Volatile.Read(ref _retryCount) + _inFlight.Count) > 0
            && _time.GetElapsedTime(deadline) < _options.AckTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time).ConfigureAwait(false);
        }
    }

    private async Task PumpAsync(TickSubscription subscription, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var tick in subscription.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                // Never waits: a full outbox drops its oldest tick (counted in OnOverflow).
                _outbox.Writer.TryWrite(tick);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void OnOverflow()
    {
        var total = Interlocked.Increment(ref _overflowed);
        if (!_slow)
        {
            _slow = true;
            Volatile.Write(ref _episodeStartOverflow, total - 1);
            Log.Overflowing(_logger, _options.BufferCapacity);
        }
    }

    private void EndOverflowEpisodeIfDrained()
    {
        if (_slow && _outbox.Reader.Count <= _options.BufferCapacity / 2)
        {
            _slow = false;
            var lost = Interlocked.Read(ref _overflowed) - Volatile.Read(ref _episodeStartOverflow);
            Log.CaughtUp(_logger, lost);
        }
    }

    private void RecordError(string message)
    {
        _lastError = message;
        Volatile.Write(ref _lastErrorAtTicks, _time.GetUtcNow().UtcTicks);
    }

    private string SubjectOf(Instrument instrument)
    {
        if (!_subjects.TryGetValue(instrument, out var subject))
        {
            subject = TickSubjects.For(_options.SubjectPrefix, instrument.Key);
            _subjects[instrument] = subject;
        }

        return subject;
    }

    /// <summary>One tick on its way: encoded and identified once, so a republish is byte-identical and carries the same id.</summary>
    private sealed class Pending(Tick tick, string subject, string id, byte[] payload)
    {
        public const int Waiting = 0;
        public const int Acked = 1;
        public const int Failed = 2;

        private int _state;

        public Tick Tick { get; } = tick;

        public string Subject { get; } = subject;

        public string Id { get; } = id;

        public byte[] Payload { get; } = payload;

        public long Reply { get; set; }

        public long SentAt { get; set; }

        public int State => Volatile.Read(ref _state);

        public bool TrySettle(int state) => Interlocked.CompareExchange(ref _state, state, Waiting) == Waiting;

        public void Reset() => Volatile.Write(ref _state, Waiting);
    }
}
