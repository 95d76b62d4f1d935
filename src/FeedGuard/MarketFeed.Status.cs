using System.Diagnostics.Metrics;
using FeedGuard.Buffers;
using FeedGuard.Status;
using FeedGuard.Ticks;

namespace FeedGuard;

// The status snapshot and the values the meter observes. Readers never take the executor's turn:
// they combine the last published state with live counters.
public sealed partial class MarketFeed
{
    /// <summary>
    /// Where the data comes from and how fresh it is, now. Never blocks on the feed, whatever its
    /// subscribers are doing. Serialises with the original requirements' field names.
    /// </summary>
    public FeedStatus GetStreamStatus()
    {
        var core = _statusCore;
        var now = _time.GetUtcNow();
        var instruments = new InstrumentStatus[_books.Length];
        long newest = 0;
        for (var i = 0; i < _books.Length; i++)
        {
            var book = _books[i];
            var has = book.TryGetLatest(out var tick);
            if (has && tick.ReceiveTimeUtcTicks > newest)
            {
                newest = tick.ReceiveTimeUtcTicks;
            }

            instruments[i] = new InstrumentStatus
            {
                Instrument = book.Instrument.Name,
                Symbol = book.Instrument.Symbol,
                LastPrice = has ? tick.LastPrice : null,
                Source = has ? tick.Source : null,
                LastTickAge = has ? AgeSeconds(now, tick.ReceiveTimeUtcTicks) : null,
                ExchangeTime = has ? tick.ExchangeTime : null,
                Stale = book.IsStale,
                SessionOpen = _calendar.IsOpen(book.Instrument.Exchange, now),
                DuplicatesDropped = Volatile.Read(ref book.Duplicates),
                StaleDropped = Volatile.Read(ref book.StaleDropped),
                SourceError = book.SourceError,
                Unfetched = book.Unfetched,
            };
        }

        return new FeedStatus
        {
            Mode = core.Tier,
            Status = core.State,
            LastTickAge = newest == 0 ? null : AgeSeconds(now, newest),
            ReconnectAttempts = core.AttemptsInRound,
            ConnectionActive = core.ConnectionActive,
            Name = Name,
            Since = core.Since,
            StatusReason = core.StatusReason,
            AsOf = now,
            LastError = core.LastError,
            NextReconnectAt = core.NextReconnectAt,
            AuthBlocked = core.AuthBlocked,
            SimulationAllowed = _options.AllowSimulation,
            Counters = ReadCounters(core),
            Instruments = instruments,
            Subscribers = [.. _hub.Subscribers.Select(s => new SubscriberStatus
            {
                Name = s.Name,
                Policy = s.Policy,
                Capacity = s.Capacity,
                Buffered = s.Count,
                Delivered = s.Written,
                Dropped = s.Dropped,
                Slow = s.IsSlow,
                SlowEpisodes = s.SlowEpisodes,
                HandlerErrors = (s as InlineSubscriber)?.Errors ?? 0,
                SlowCalls = (s as InlineSubscriber)?.SlowCalls ?? 0,
            })],
        };
    }

    internal IEnumerable<Measurement<long>> ObserveReceived()
    {
        var counters = _ingest.Counters;
        yield return new Measurement<long>(counters.Received(TickSource.Stream), new KeyValuePair<string, object?>("source", "stream"));
        yield return new Measurement<long>(counters.Received(TickSource.Poll), new KeyValuePair<string, object?>("source", "poll"));
        yield return new Measurement<long>(counters.Received(TickSource.Simulated), new KeyValuePair<string, object?>("source", "simulated"));
    }

    internal long ObserveCounter(Func<FeedCounters, long> select) => select(ReadCounters(_statusCore));

    internal IEnumerable<Measurement<long>> ObserveSubscriberDrops() =>
        _hub.Subscribers.Select(s => new Measurement<long>(s.Dropped, new KeyValuePair<string, object?>("subscriber", s.Name)));

    internal int ObserveMode() => (int)_statusCore.State;

    internal IEnumerable<Measurement<double>> ObserveLastTickAge()
    {
        var age = GetStreamStatus().LastTickAge;
        return age is { } seconds ? [new Measurement<double>(seconds)] : [];
    }

    private FeedCounters ReadCounters(StatusCore core)
    {
        var counters = _ingest.Counters;
        return new FeedCounters
        {
            Received = counters.ReceivedTotal,
            ReceivedStream = counters.Received(TickSource.Stream),
            ReceivedPoll = counters.Received(TickSource.Poll),
            ReceivedSimulated = counters.Received(TickSource.Simulated),
            Delivered = Volatile.Read(ref counters.Delivered),
            DuplicatesDropped = Volatile.Read(ref counters.Duplicates),
            StaleDropped = Volatile.Read(ref counters.Stale),
            ImplausibleDropped = Volatile.Read(ref counters.Implausible),
            Rejected = Volatile.Read(ref counters.Rejected),
            Malformed = Interlocked.Read(ref _malformedTotal),
            Reconnects = core.ReconnectsTotal,
        };
    }

    private static double AgeSeconds(DateTimeOffset now, long utcTicks) => Math.Max(0, (now.UtcTicks - utcTicks) / (double)TimeSpan.TicksPerSecond);
}
