using FeedGuard.Buffers;
using FeedGuard.Ticks;

namespace FeedGuard.Integrity;

/// <summary>
/// The one path every tick takes: tier check, integrity gate, per-instrument book, fan-out to the
/// subscriber buffers. One lock serialises producers (stream, poll, simulation) so per-instrument
/// order holds across tiers; it is an async lock because a full lossless subscriber makes the
/// producer wait. Uncontended, a batch costs two compare-and-swaps (enter, release) and no allocation.
/// </summary>
internal sealed class TickIngest
{
    private const long NoBatch = long.MaxValue;

    private readonly AsyncMutex _lock = new();
    private readonly InstrumentBook[] _books;
    private readonly TickHub _hub;
    private readonly IIngestListener _listener;
    private readonly TimeProvider _time;
    private readonly long _futureTolerance;

    private volatile bool _acceptPoll;
    private volatile bool _acceptSimulated;
    private volatile IStreamProbe? _currentStream;

    // The batch holding the lock: when it arrived (NoBatch when none does), and the full lossless
    // subscriber it waits for, if any. Written by the holder; read by the health check.
    private long _batchArrivedAt = NoBatch;
    private SubscriberBuffer? _waitingFor;

    public TickIngest(InstrumentBook[] books, TickHub hub, IIngestListener listener, TimeSpan futureTolerance, TimeProvider time)
    {
        _books = books;
        _hub = hub;
        _listener = listener;
        _time = time;
        _futureTolerance = futureTolerance.Ticks;
    }

    public IngestCounters Counters { get; } = new();

    /// <summary>
    /// The batch in the ingest path now: when it reached the feed (a feed-clock timestamp) and the subscriber
    /// it waits for, if any (a full lossless buffer, or an inline handler in a call); null when there is
    /// none. Every other batch, from any tier, waits behind it, and so does each receive loop at its next one.
    /// </summary>
    public (long ArrivedAt, SubscriberBuffer? WaitingFor)? CurrentBatch()
    {
        var arrivedAt = Volatile.Read(ref _batchArrivedAt);
        if (arrivedAt == NoBatch)
        {
            return null;
        }

        SubscriberBuffer? waitingFor = Volatile.Read(ref _waitingFor);
        if (waitingFor is null)
        {
            foreach (var subscriber in _hub.Subscribers)
            {
                if (subscriber is InlineSubscriber { RunningSince: not null })
                {
                    waitingFor = subscriber;
                    break;
                }
            }
        }

        return (arrivedAt, waitingFor);
    }

    /// <summary>Which tiers may deliver. Changed by the supervisor; takes effect for the next batch.</summary>
    public void SetAccepted(IStreamProbe? stream, bool poll, bool simulated)
    {
        _currentStream = stream;
        _acceptPoll = poll;
        _acceptSimulated = simulated;
    }

    /// <summary>Delivers a batch from one tier.</summary>
    /// <param name="ticks">The batch; the caller reuses the memory once the returned task completes.</param>
    /// <param name="origin">The tier that produced it.</param>
    /// <param name="stream">The stream connection it came from, for stream ticks.</param>
    /// <param name="arrivedAt">
    /// The feed clock's timestamp (<see cref="TimeProvider.GetTimestamp"/>) when the batch arrived: the
    /// caller has usually just read it (the stream observer, for the last-frame time), and inline handlers
    /// are timed from it instead of from a reading of their own.
    /// </param>
    /// <param name="cancellationToken">Ends a wait for the lock or for a full lossless subscriber.</param>
    public ValueTask IngestAsync(ReadOnlyMemory<Tick> ticks, TickSource origin, IStreamProbe? stream, long arrivedAt, CancellationToken cancellationToken)
    {
        if (ticks.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        if (!_lock.TryEnter())
        {
            return IngestContendedAsync(ticks, origin, stream, arrivedAt, cancellationToken);
        }

        Volatile.Write(ref _batchArrivedAt, arrivedAt);
        return IngestLocked(ticks, origin, stream, arrivedAt, cancellationToken);
    }

    private async ValueTask IngestContendedAsync(ReadOnlyMemory<Tick> ticks, TickSource origin, IStreamProbe? stream, long arrivedAt, CancellationToken cancellationToken)
    {
        await _lock.EnterAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _batchArrivedAt, arrivedAt);

        // The wait for another tier's batch is not an inline handler's time: read the clock again.
        await IngestLocked(ticks, origin, stream, _time.GetTimestamp(), cancellationToken).ConfigureAwait(false);
    }

    // Entered holding the lock; releases it, at once on the fast path or after the slow path's awaits.
    private ValueTask IngestLocked(ReadOnlyMemory<Tick> ticks, TickSource origin, IStreamProbe? stream, long now, CancellationToken cancellationToken)
    {
        var release = true;
        try
        {
            if (!Accepts(origin, stream))
            {
                // Still received: every tick that reached the feed is counted once, so received always
                // equals delivered + duplicates + stale + implausible + rejected.
                Counters.CountReceived(origin, ticks.Length);
                Counters.Rejected += ticks.Length;
                return ValueTask.CompletedTask;
            }

            var subscribers = _hub.Subscribers;
            var blocked = Deliver(ticks.Span, subscribers, 0, origin, stream, ref now);
            PublishAll(subscribers);
            if (blocked is null)
            {
                return ValueTask.CompletedTask;
            }

            release = false;
            return ResumeAsync(ticks, subscribers, blocked.Value, origin, stream, cancellationToken);
        }
        finally
        {
            if (release)
            {
                Release();
            }
        }
    }

    private void Release()
    {
        Volatile.Write(ref _batchArrivedAt, NoBatch);
        _lock.Release();
    }

    private async ValueTask ResumeAsync(ReadOnlyMemory<Tick> ticks, SubscriberBuffer[] subscribers, Blocked blocked, TickSource origin, IStreamProbe? stream, CancellationToken cancellationToken)
    {
        try
        {
            var now = _time.GetTimestamp();
            Blocked? next = blocked;
            while (next is { } at)
            {
                // Everything before the full subscriber is published (so it can drain); wait for its
                // low-water mark, not per tick, give it what fits, and go on until it has the whole run.
                var buffer = subscribers[at.Subscriber];
                var taken = at.Taken;
                Volatile.Write(ref _waitingFor, buffer);
                while (taken < at.RunEnd - at.RunStart)
                {
                    await buffer.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);

                    // The wait for a lossless reader is not an inline handler's time either.
                    now = _time.GetTimestamp();
                    taken += buffer.TryWrite(ticks.Span[(at.RunStart + taken)..at.RunEnd], ref now);
                    buffer.Publish();
                }

                Volatile.Write(ref _waitingFor, null);

                next = FanOut(ticks.Span, at with { Subscriber = at.Subscriber + 1, Taken = 0 }, subscribers, ref now)
                    ?? Deliver(ticks.Span, subscribers, at.ResumeAt, origin, stream, ref now);
                PublishAll(subscribers);
            }
        }
        finally
        {
            Volatile.Write(ref _waitingFor, null);
            Release();
        }
    }

    private static void PublishAll(SubscriberBuffer[] subscribers)
    {
        foreach (var subscriber in subscribers)
        {
            subscriber.Publish();
        }
    }

    private bool Accepts(TickSource origin, IStreamProbe? stream) => origin switch
    {
        TickSource.Stream => stream is not null && ReferenceEquals(stream, _currentStream),
        TickSource.Poll => _acceptPoll,
        TickSource.Simulated => _acceptSimulated,
        _ => false,
    };

    /// <summary>
    /// Passes the ticks from <paramref name="from"/> on through the gate and hands each run the gate
    /// admitted (the whole batch unless it dropped a tick inside it) to every subscriber in one write.
    /// Returns where a lossless subscriber is full, or null when done.
    /// </summary>
    private Blocked? Deliver(ReadOnlySpan<Tick> ticks, SubscriberBuffer[] subscribers, int from, TickSource origin, IStreamProbe? stream, ref long now)
    {
        var fresh = new Freshness();
        var blocked = DeliverRuns(ticks, subscribers, from, origin, stream is not null, ref now, ref fresh);

        // Once per batch, not per tick: the stream's freshness is its last fresh tick's receive time.
        if (fresh.Seen && stream!.MarkFresh(fresh.ReceiveTimeUtcTicks))
        {
            _listener.OnFirstFreshStreamTick(stream);
        }

        return blocked;
    }

    private Blocked? DeliverRuns(ReadOnlySpan<Tick> ticks, SubscriberBuffer[] subscribers, int from, TickSource origin, bool fromStream, ref long now, ref Freshness fresh)
    {
        var runStart = from;
        for (var i = from; i < ticks.Length; i++)
        {
            if (Admit(ticks[i], origin, fromStream, ref fresh))
            {
                continue;
            }

            // Tick i is dropped: the run before it goes out now, the next one starts after it.
            if (runStart < i && FanOut(ticks, new Blocked(runStart, i, i + 1, 0, 0), subscribers, ref now) is { } blocked)
            {
                return blocked;
            }

            runStart = i + 1;
        }

        return runStart < ticks.Length ? FanOut(ticks, new Blocked(runStart, ticks.Length, ticks.Length, 0, 0), subscribers, ref now) : null;
    }

    /// <summary>Writes the run to <paramref name="at"/>'s subscriber and those after it; where one is full, or null.</summary>
    private static Blocked? FanOut(ReadOnlySpan<Tick> ticks, Blocked at, SubscriberBuffer[] subscribers, ref long now)
    {
        var run = ticks[at.RunStart..at.RunEnd];
        for (var s = at.Subscriber; s < subscribers.Length; s++)
        {
            var taken = subscribers[s].TryWrite(run, ref now);
            if (taken < run.Length)
            {
                return at with { Subscriber = s, Taken = taken };
            }
        }

        return null;
    }

    private bool Admit(in Tick tick, TickSource origin, bool fromStream, ref Freshness fresh)
    {
        Counters.CountReceived(origin, 1);
        var instrument = tick.Instrument;
        if (tick.Source != origin || instrument is null || (uint)instrument.Id >= (uint)_books.Length || _books[instrument.Id].Instrument != instrument)
        {
            // A source labelled a tick with another tier, handed us a foreign instrument or an empty tick: never pass it off as ours.
            Counters.Rejected++;
            return false;
        }

        var book = _books[instrument.Id];
        var verdict = book.Check(tick, _futureTolerance);
        if (fromStream && verdict is GateVerdict.Deliver or GateVerdict.Duplicate)
        {
            // A duplicate counts: the stream is live and caught up, only another tier was first.
            fresh = new Freshness(true, tick.ReceiveTimeUtcTicks);
        }

        switch (verdict)
        {
            case GateVerdict.Duplicate:
                Counters.Duplicates++;
                book.Duplicates++;
                return false;
            case GateVerdict.Stale:
                Counters.Stale++;
                book.StaleDropped++;
                return false;
            case GateVerdict.Implausible:
                Counters.Implausible++;
                return false;
        }

        var lastTickAt = book.LastDeliveredAt;
        book.Accept(tick);
        Counters.Delivered++;
        if (book.TryClearStale())
        {
            _listener.OnInstrumentResumed(book, lastTickAt == 0 ? null : new DateTimeOffset(lastTickAt, TimeSpan.Zero), tick);
        }

        return true;
    }

    /// <summary>Whether a batch from the stream held a tick not older than what was delivered, and its receive time.</summary>
    private readonly record struct Freshness(bool Seen, long ReceiveTimeUtcTicks);

    /// <summary>
    /// A run of admitted ticks [<paramref name="RunStart"/>, <paramref name="RunEnd"/>) part-way through
    /// its fan-out: <paramref name="Subscriber"/> has taken the first <paramref name="Taken"/> ticks, those
    /// before it all of them, those after it none; the gate goes on at <paramref name="ResumeAt"/>.
    /// </summary>
    private readonly record struct Blocked(int RunStart, int RunEnd, int ResumeAt, int Subscriber, int Taken);
}
