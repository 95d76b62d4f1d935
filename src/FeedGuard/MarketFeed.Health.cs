using System.Globalization;
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
public sealed partial class MarketFeed
{
    private ITimer? _healthTimer;

    private void HandleHealthCheck()
    {
        if (_stopped)
        {
            return;
        }

        var now = _time.GetUtcNow();
        var sessionStarts = OpenSessionStarts(now);
        if (_connectionObserver is { } observer && CheckConnection(observer, now, sessionStarts))
        {
            return;
        }

        CheckInstruments(now, sessionStarts);
    }

    /// <summary>Runs layers 2 and 3 on the live connection; true when it condemned it.</summary>
    private bool CheckConnection(StreamObserver observer, DateTimeOffset now, DateTimeOffset?[] sessionStarts)
    {
        var silentFor = observer.SinceLastFrame;
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
            var reference = Max(Max(_connectedAt, sessionStart), new DateTimeOffset(observer.LastFreshTickAt, TimeSpan.Zero));
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

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
