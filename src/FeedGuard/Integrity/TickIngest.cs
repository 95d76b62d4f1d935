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
    private readonly AsyncMutex _lock = new();
    private readonly InstrumentBook[] _books;
    private readonly TickHub _hub;
    private readonly IIngestListener _listener;
    private readonly long _futureTolerance;

    private volatile bool _acceptPoll;
    private volatile bool _acceptSimulated;
    private volatile IStreamProbe? _currentStream;

    public TickIngest(InstrumentBook[] books, TickHub hub, IIngestListener listener, TimeSpan futureTolerance)
    {
        _books = books;
        _hub = hub;
        _listener = listener;
        _futureTolerance = futureTolerance.Ticks;
    }

    public IngestCounters Counters { get; } = new();

    /// <summary>Which tiers may deliver. Changed by the supervisor; takes effect for the next batch.</summary>
    public void SetAccepted(IStreamProbe? stream, bool poll, bool simulated)
    {
        _currentStream = stream;
        _acceptPoll = poll;
        _acceptSimulated = simulated;
    }

    public ValueTask IngestAsync(ReadOnlyMemory<Tick> ticks, TickSource origin, IStreamProbe? stream, CancellationToken cancellationToken)
    {
        if (ticks.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        return _lock.TryEnter() ? IngestLocked(ticks, origin, stream, cancellationToken) : IngestContendedAsync(ticks, origin, stream, cancellationToken);
    }

    private async ValueTask IngestContendedAsync(ReadOnlyMemory<Tick> ticks, TickSource origin, IStreamProbe? stream, CancellationToken cancellationToken)
    {
        await _lock.EnterAsync(cancellationToken).ConfigureAwait(false);
        await IngestLocked(ticks, origin, stream, cancellationToken).ConfigureAwait(false);
    }

    // Entered holding the lock; releases it, at once on the fast path or after the slow path's awaits.
    private ValueTask IngestLocked(ReadOnlyMemory<Tick> ticks, TickSource origin, IStreamProbe? stream, CancellationToken cancellationToken)
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
            var blocked = Deliver(ticks.Span, subscribers, new Position(0, 0), origin, stream);
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
                _lock.Release();
            }
        }
    }

    private async ValueTask ResumeAsync(ReadOnlyMemory<Tick> ticks, SubscriberBuffer[] subscribers, Position blocked, TickSource origin, IStreamProbe? stream, CancellationToken cancellationToken)
    {
        try
        {
            Position? next = blocked;
            while (next is { } at)
            {
                // Everything before the full subscriber is published (so it can drain); wait once for its
                // low-water mark, not per tick, then go on with the batch.
                var buffer = subscribers[at.Subscriber];
                while (!buffer.TryWrite(ticks.Span[at.Tick]))
                {
                    await buffer.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
                }

                next = Deliver(ticks.Span, subscribers, new Position(at.Tick, at.Subscriber + 1), origin, stream);
                PublishAll(subscribers);
            }
        }
        finally
        {
            _lock.Release();
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
    /// Delivers from <paramref name="start"/> on. A start with a subscriber index above 0 resumes a
    /// tick that already passed the gate. Returns where a lossless subscriber is full, or null when done.
    /// </summary>
    private Position? Deliver(ReadOnlySpan<Tick> ticks, SubscriberBuffer[] subscribers, Position start, TickSource origin, IStreamProbe? stream)
    {
        for (var i = start.Tick; i < ticks.Length; i++)
        {
            ref readonly var tick = ref ticks[i];
            var firstSubscriber = 0;
            if (i == start.Tick && start.Subscriber > 0)
            {
                firstSubscriber = start.Subscriber;
            }
            else if (!Admit(tick, origin, stream))
            {
                continue;
            }

            for (var s = firstSubscriber; s < subscribers.Length; s++)
            {
                if (!subscribers[s].TryWrite(tick))
                {
                    return new Position(i, s);
                }
            }
        }

        return null;
    }

    private bool Admit(in Tick tick, TickSource origin, IStreamProbe? stream)
    {
        Counters.CountReceived(origin, 1);
        if (tick.Source != origin || (uint)tick.Instrument.Id >= (uint)_books.Length || _books[tick.Instrument.Id].Instrument != tick.Instrument)
        {
            // A source labelled a tick with another tier or handed us a foreign instrument: never pass it off as ours.
            Counters.Rejected++;
            return false;
        }

        var book = _books[tick.Instrument.Id];
        var verdict = book.Check(tick, _futureTolerance);
        if (stream is not null && verdict is GateVerdict.Deliver or GateVerdict.Duplicate && stream.MarkFresh(tick.ReceiveTimeUtcTicks))
        {
            _listener.OnFirstFreshStreamTick(stream);
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

    private readonly record struct Position(int Tick, int Subscriber);
}
