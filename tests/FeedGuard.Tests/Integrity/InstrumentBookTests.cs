using FeedGuard.Instruments;
using FeedGuard.Integrity;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Tests.Integrity;

/// <summary>What the feed remembers per instrument: latest value, newest exchange time, a bounded window, freshness.</summary>
public sealed class InstrumentBookTests
{
    private static readonly long Tolerance = TimeSpan.FromMinutes(5).Ticks;
    private static readonly Instrument Sbin = new InstrumentRegistry([InstrumentKey.Parse("NSE:3045")])[0];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, new TimeSpan(5, 30, 0)));

    [Fact]
    public void New_NothingDelivered_HasNoLatestNoWindowAndIsFresh()
    {
        var book = new InstrumentBook(Sbin, 4);

        Assert.Same(Sbin, book.Instrument);
        Assert.False(book.TryGetLatest(out _));
        Assert.Empty(book.RecentTicks());
        Assert.Equal(0, book.LastDeliveredAt);
        Assert.False(book.IsStale);
    }

    [Fact]
    public void Accept_Tick_IsTheLatestAndStampsDeliveryTime()
    {
        var book = new InstrumentBook(Sbin, 4);
        var first = NextStreamTick(500m);
        var second = NextStreamTick(500.05m);

        book.Accept(first);
        book.Accept(second);

        Assert.True(book.TryGetLatest(out var latest));
        Assert.Equal(second, latest);
        Assert.Equal(second.ReceiveTimeUtcTicks, book.LastDeliveredAt);
    }

    [Fact]
    public void RecentTicks_FewerThanWindow_AreAllOldestFirst()
    {
        var book = new InstrumentBook(Sbin, 4);
        var ticks = Enumerable.Range(0, 3).Select(i => NextStreamTick(500m + i)).ToArray();

        foreach (var tick in ticks)
        {
            book.Accept(tick);
        }

        Assert.Equal(ticks, book.RecentTicks());
    }

    [Fact]
    public void RecentTicks_MoreThanWindow_KeepsTheNewestOldestFirst()
    {
        var book = new InstrumentBook(Sbin, 3);
        var ticks = Enumerable.Range(0, 10).Select(i => NextStreamTick(500m + i)).ToArray();

        foreach (var tick in ticks)
        {
            book.Accept(tick);
        }

        Assert.Equal(ticks[7..], book.RecentTicks());
    }

    [Fact]
    public void RecentTicks_ReturnsASnapshotThatLaterTicksDoNotChange()
    {
        var book = new InstrumentBook(Sbin, 2);
        book.Accept(NextStreamTick(500m));
        var snapshot = book.RecentTicks();

        book.Accept(NextStreamTick(501m));
        book.Accept(NextStreamTick(502m));

        Assert.Equal(500m, Assert.Single(snapshot).LastPrice);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void RecentTicks_NoWindow_IsEmptyButLatestIsKept(int windowSize)
    {
        var book = new InstrumentBook(Sbin, windowSize);
        var tick = NextStreamTick(500m);

        book.Accept(tick);

        Assert.Empty(book.RecentTicks());
        Assert.True(book.TryGetLatest(out var latest));
        Assert.Equal(tick, latest);
    }

    [Fact]
    public void Check_AfterAccept_JudgesAgainstTheLatest()
    {
        var book = new InstrumentBook(Sbin, 4);
        var first = NextStreamTick(500m);

        Assert.Equal(GateVerdict.Deliver, book.Check(first, Tolerance));
        book.Accept(first);

        Assert.Equal(GateVerdict.Duplicate, book.Check(first, Tolerance));
        Assert.Equal(GateVerdict.Deliver, book.Check(NextStreamTick(500.05m), Tolerance));
    }

    [Fact]
    public void Accept_TickWithoutExchangeTime_DoesNotMoveTheClock()
    {
        var book = new InstrumentBook(Sbin, 4);
        var timed = NextStreamTick(500m);
        book.Accept(timed);
        _clock.Advance(TimeSpan.FromSeconds(1));
        book.Accept(TickBuilder.Make(Sbin, TickSource.Poll, 500.10m, _clock.GetUtcNow()));

        var olderThanTimed = TickBuilder.Make(Sbin, TickSource.Stream, 499m, _clock.GetUtcNow(), timed.ExchangeTime!.Value.AddMilliseconds(-1));
        var atTimed = TickBuilder.Make(Sbin, TickSource.Stream, 499m, _clock.GetUtcNow(), timed.ExchangeTime!.Value);

        Assert.Equal(GateVerdict.Stale, book.Check(olderThanTimed, Tolerance));
        Assert.Equal(GateVerdict.Deliver, book.Check(atTimed, Tolerance));
    }

    [Fact]
    public void Accept_OlderExchangeTime_DoesNotMoveTheClockBack()
    {
        var book = new InstrumentBook(Sbin, 4);
        var newer = NextStreamTick(500m);
        var newerTime = newer.ExchangeTime!.Value;
        book.Accept(newer);
        book.Accept(TickBuilder.Make(Sbin, TickSource.Poll, 501m, _clock.GetUtcNow(), newerTime.AddSeconds(-10)));

        var between = TickBuilder.Make(Sbin, TickSource.Stream, 502m, _clock.GetUtcNow(), newerTime.AddSeconds(-5));

        Assert.Equal(GateVerdict.Stale, book.Check(between, Tolerance));
    }

    [Fact]
    public void TryMarkStale_FirstTime_IsTrueThenFalseUntilCleared()
    {
        var book = new InstrumentBook(Sbin, 4);

        Assert.True(book.TryMarkStale());
        Assert.True(book.IsStale);
        Assert.False(book.TryMarkStale());
        Assert.True(book.IsStale);
    }

    [Fact]
    public void TryClearStale_WhenMarked_IsTrueOnceAndFreshAgain()
    {
        var book = new InstrumentBook(Sbin, 4);
        book.TryMarkStale();

        Assert.True(book.TryClearStale());
        Assert.False(book.IsStale);
        Assert.False(book.TryClearStale());
        Assert.True(book.TryMarkStale());
    }

    [Fact]
    public void TryClearStale_NeverMarked_IsFalse()
    {
        Assert.False(new InstrumentBook(Sbin, 4).TryClearStale());
    }

    [Fact]
    public async Task Readers_WhileTheIngestPathWrites_NeverSeeATornTickOrWindow()
    {
        const long reads = 50_000;
        var book = new InstrumentBook(Sbin, 8);
        var start = _clock.GetUtcNow().UtcTicks;

        // Every field of tick n is derived from n, so a copy mixing two ticks shows.
        static Tick Numbered(long start, long n) => new(Sbin, TickSource.Stream, n, 2, start + n, new TickValues
        {
            Fields = TickFields.Sequence | TickFields.Volume | TickFields.ExchangeTime,
            Sequence = n,
            Volume = n * 3,
            ExchangeTimeUtcTicks = start + n,
        });

        static string? Torn(in Tick tick, long start) =>
            tick.Sequence == tick.LastPriceUnits && tick.Volume == tick.LastPriceUnits * 3 && tick.ReceiveTimeUtcTicks == start + tick.LastPriceUnits
                && tick.ExchangeTimeUtcTicks == tick.ReceiveTimeUtcTicks && ReferenceEquals(tick.Instrument, Sbin)
                ? null
                : $"torn tick: price {tick.LastPriceUnits}, sequence {tick.Sequence}, volume {tick.Volume}";

        var done = 0L;
        var reader = Task.Run(() =>
        {
            for (; Volatile.Read(ref done) < reads; Interlocked.Increment(ref done))
            {
                if (book.TryGetLatest(out var latest) && Torn(latest, start) is { } tornLatest)
                {
                    return tornLatest;
                }

                var window = book.RecentTicks();
                for (var i = 0; i < window.Length; i++)
                {
                    if (Torn(window[i], start) is { } tornWindow)
                    {
                        return tornWindow;
                    }

                    if (i > 0 && window[i].LastPriceUnits != window[i - 1].LastPriceUnits + 1)
                    {
                        return $"window not consecutive: {string.Join(", ", window.Select(t => t.LastPriceUnits))}";
                    }
                }
            }

            return null;
        });

        // Writes for as long as the reader reads, so every read races a write.
        var written = 0L;
        while (Volatile.Read(ref done) < reads && !reader.IsCompleted)
        {
            book.Accept(Numbered(start, written++));
        }

        Assert.Null(await reader.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(book.TryGetLatest(out var last));
        Assert.Equal(written - 1, last.LastPriceUnits);
    }

    private Tick NextStreamTick(decimal price)
    {
        _clock.Advance(TimeSpan.FromMilliseconds(250));
        return TickBuilder.Stream(Sbin, price, _clock.GetUtcNow());
    }
}
