using System.Globalization;
using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Instruments;
using FeedGuard.Sources;

namespace FeedGuard;

// The three health layers, checked every HealthCheckInterval:
// 1. transport: the source's own ping/pong ends the connection with NoPong (not checked here);
// 2. connection: no frame of any kind within FrameTimeout, or mostly malformed frames;
// 3. data: no tick while a session is open for HeartbeatThreshold. Outside every session silence
//    is normal and changes nothing.
// Silence that our own subscribers cause is not held against the stream: while the ingest path waits
// for an inline handler or a full lossless buffer, every receive loop waits at its next batch, and
// neither a reconnect nor polling could deliver a tick before that subscriber lets go.
public sealed partial class MarketFeed
{
    private ITimer? _healthTimer;

    // The last health check that found the ingest path held by a subscriber since the stream's last frame:
    // silence counts from here at the earliest. And the arrival of the batch last reported as holding it.
    private DateTimeOffset _heldBySubscriberAt;
    private long _reportedHeldBatch = long.MinValue;

    private void HandleHealthCheck()
    {
        if (_stopped)
        {
            return;
        }

        WatchInlineHandlers();
        var now = _time.GetUtcNow();
        var sessionStarts = OpenSessionStarts(now);
        if (_connectionObserver is { } observer && CheckConnection(observer, now, sessionStarts))
        {
            return;
        }

        CheckInstruments(now, sessionStarts);
    }

    // A handler that hangs would otherwise be reported slow only once it returned, if ever.
    private void WatchInlineHandlers()
    {
        foreach (var subscriber in _hub.Subscribers)
        {
            (subscriber as InlineSubscriber)?.WatchCall();
        }
    }

    /// <summary>Runs layers 2 and 3 on the live connection; true when it condemned it.</summary>
    private bool CheckConnection(StreamObserver observer, DateTimeOffset now, DateTimeOffset?[] sessionStarts)
    {
        NoteHoldBySubscriber(observer, now);
        var silentFor = Min(observer.SinceLastFrame, now - _heldBySubscriberAt);
        if (_options.FrameTimeout != Timeout.InfiniteTimeSpan && silentFor >= _options.FrameTimeout)
        {
            FailStream(DisconnectReason.NoData, $"no frame of any kind for {Seconds(silentFor)} s");
            return true;
        }

        if (observer.MalformedRatioExceeded(_options.MalformedMinFrames, _options.MaxMalformedRatio, out var ratio))
        {
            FailStream(DisconnectReason.MalformedStream, $"{ratio:P0} of recent frames were malformed");
            return true;
        }

        if (_state != FeedState.Streaming)
        {
            return false;
        }

        // Silence counts from the latest of: connection, last fresh tick, earliest open session start.
        DateTimeOffset? earliestOpen = null;
        foreach (var start in sessionStarts)
        {
            if (start is { } s && (earliestOpen is null || s < earliestOpen))
            {
                earliestOpen = s;
            }
        }

        if (earliestOpen is { } sessionStart)
        {
            var reference = Max(Max(Max(_connectedAt, sessionStart), new DateTimeOffset(observer.LastFreshTickAt, TimeSpan.Zero)), _heldBySubscriberAt);
            var quietFor = now - reference;
            if (quietFor >= _options.HeartbeatThreshold)
            {
                FailStream(DisconnectReason.NoData, $"no tick for {Seconds(quietFor)} s while a session is open");
                return true;
            }
        }

        if (_attemptsInRound > 0 && now - _connectedAt >= _options.Reconnect.StabilityWindow)
        {
            Log.AttemptCounterReset(_logger, Name, (now - _connectedAt).TotalSeconds);
            _attemptsInRound = 0;
        }

        return false;
    }

    /// <summary>
    /// When the ingest path has been waiting for one of our subscribers since before the stream's last frame,
    /// the stream's receive loop waits too (that frame went in behind the batch, or was it): its silence counts
    /// from now at the earliest. A stream that fell silent before the wait began gets no such allowance.
    /// Reported once per batch, when the wait has lasted as long as the first silence verdict would take.
    /// </summary>
    private void NoteHoldBySubscriber(StreamObserver observer, DateTimeOffset now)
    {
        if (_ingest.CurrentBatch() is not { WaitingFor: { } subscriber } batch || !observer.FrameSince(batch.ArrivedAt))
        {
            return;
        }

        _heldBySubscriberAt = now;
        var heldFor = _time.GetElapsedTime(batch.ArrivedAt);
        var firstVerdict = _options.FrameTimeout == Timeout.InfiniteTimeSpan ? _options.HeartbeatThreshold : Min(_options.FrameTimeout, _options.HeartbeatThreshold);
        if (heldFor >= firstVerdict && _reportedHeldBatch != batch.ArrivedAt)
        {
            _reportedHeldBatch = batch.ArrivedAt;
            Log.IngestHeldBySubscriber(_logger, Name, subscriber.Name, subscriber.Policy, heldFor.TotalSeconds);
        }
    }

    private void CheckInstruments(DateTimeOffset now, DateTimeOffset?[] sessionStarts)
    {
        foreach (var book in _books)
        {
            if (sessionStarts[(int)book.Instrument.Exchange] is not { } sessionStart)
            {
                // Out of session an instrument is quiet, not stale; the next session starts clean.
                book.TryClearStale();
                continue;
            }

            var lastTick = book.LastDeliveredAt;
            var reference = Max(Max(sessionStart, _startedAt), new DateTimeOffset(lastTick, TimeSpan.Zero));
            if (now - reference >= _options.HeartbeatThreshold && book.TryMarkStale())
            {
                Log.InstrumentStale(_logger, Name, book.Instrument.Name, (now - reference).TotalSeconds);
                _events.Publish(new InstrumentStaleEvent(book.Instrument, lastTick == 0 ? null : new DateTimeOffset(lastTick, TimeSpan.Zero)));
            }
        }
    }

    /// <summary>Session start per exchange (indexed by the enum value) for exchanges that are open now and that we serve.</summary>
    private DateTimeOffset?[] OpenSessionStarts(DateTimeOffset now)
    {
        var starts = new DateTimeOffset?[Enum.GetValues<Exchange>().Max(e => (int)e) + 1];
        foreach (var book in _books)
        {
            var exchange = (int)book.Instrument.Exchange;
            starts[exchange] ??= _calendar.SessionStart(book.Instrument.Exchange, now);
        }

        return starts;
    }

    private bool AnySessionOpen() => OpenSessionStarts(_time.GetUtcNow()).Any(s => s is not null);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
