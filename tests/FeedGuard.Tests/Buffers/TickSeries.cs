using FeedGuard.Buffers;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Buffers;

/// <summary>Numbered stream ticks and small readers shared by the buffer and concurrency tests.</summary>
internal static class TickSeries
{
    /// <summary>
    /// Stream tick number <paramref name="n"/> of <paramref name="instrument"/>: sequence <paramref name="n"/>,
    /// exchange time <paramref name="n"/> ms after <paramref name="at"/>, price 100.00 + n paise. Numbers
    /// rise, so the integrity gate delivers every tick of a rising series.
    /// </summary>
    public static Tick Stream(Instrument instrument, DateTimeOffset at, long n) =>
        new(instrument, TickSource.Stream, 10_000 + n, 2, at) { ExchangeTime = at.AddMilliseconds(n), Sequence = n };

    /// <summary>
    /// Stream tick number <paramref name="n"/> with every field set from <paramref name="n"/>, from the first
    /// byte of the tick to the last (times <paramref name="n"/> × 100 ns after <paramref name="at"/>, so even
    /// millions of them stay within the gate's future tolerance), so a copy taken while the tick was being
    /// rewritten (part one number, part the next) fails <see cref="IsWhole"/>.
    /// </summary>
    public static Tick Whole(Instrument instrument, DateTimeOffset at, long n)
    {
        var values = new TickValues
        {
            Fields = TickFields.ExchangeTime | TickFields.Sequence | TickFields.LastQuantity | TickFields.Volume | TickFields.AveragePrice
                | TickFields.BuySellTotals | TickFields.Ohlc | TickFields.OpenInterest | TickFields.BestBid | TickFields.BestAsk,
            ExchangeTimeUtcTicks = at.UtcTicks + n,
            Sequence = n,
            LastQuantity = n,
            Volume = n,
            AveragePriceUnits = n,
            TotalBuyQuantity = n,
            TotalSellQuantity = n,
            OpenUnits = n,
            HighUnits = n,
            LowUnits = n,
            CloseUnits = n,
            OpenInterest = n,
            BidPriceUnits = n,
            BidQuantity = n,
            AskPriceUnits = n,
            AskQuantity = n,
        };
        return new Tick(instrument, TickSource.Stream, 10_000 + n, 2, at.UtcTicks + n, values);
    }

    /// <summary>Whether every field of a <see cref="Whole"/> tick carries the same number.</summary>
    public static bool IsWhole(in Tick tick, DateTimeOffset at)
    {
        var n = tick.Sequence ?? -1;
        long[] fields =
        [
            tick.LastPriceUnits - 10_000, tick.ReceiveTimeUtcTicks - at.UtcTicks, (tick.ExchangeTime ?? default).UtcTicks - at.UtcTicks,
            tick.LastQuantity ?? -1, tick.Volume ?? -1, tick.AveragePriceUnits, tick.TotalBuyQuantity ?? -1, tick.TotalSellQuantity ?? -1,
            tick.OpenUnits, tick.HighUnits, tick.LowUnits, tick.CloseUnits, tick.OpenInterest ?? -1,
            tick.BidPriceUnits, tick.BidQuantity, tick.AskPriceUnits, tick.AskQuantity,
        ];
        return Array.TrueForAll(fields, f => f == n);
    }

    /// <summary>Ticks <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> − 1 of one instrument.</summary>
    public static Tick[] Stream(Instrument instrument, DateTimeOffset at, long first, int count)
    {
        var ticks = new Tick[count];
        for (var i = 0; i < count; i++)
        {
            ticks[i] = Stream(instrument, at, first + i);
        }

        return ticks;
    }

    /// <summary>The sequence numbers of <paramref name="ticks"/>, for readable assertions.</summary>
    public static long[] Sequences(IEnumerable<Tick> ticks) => [.. ticks.Select(t => t.Sequence ?? -1)];

    /// <summary>Every tick waiting in <paramref name="subscription"/>, without waiting.</summary>
    public static List<Tick> Drain(TickSubscription subscription)
    {
        var ticks = new List<Tick>();
        while (subscription.TryRead(out var tick))
        {
            ticks.Add(tick);
        }

        return ticks;
    }

    /// <summary>Reads <paramref name="count"/> ticks, waiting (10 s at most each time) whenever none is waiting.</summary>
    public static async Task<List<Tick>> ReadAsync(TickSubscription subscription, int count)
    {
        var ticks = new List<Tick>();
        var batch = new Tick[count];
        while (ticks.Count < count)
        {
            var read = subscription.TryReadBatch(batch.AsSpan(0, count - ticks.Count));
            ticks.AddRange(batch.AsSpan(0, read));
            if (read == 0)
            {
                Assert.True(await subscription.WaitToReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
            }
        }

        return ticks;
    }

    /// <summary>Enumerates <paramref name="subscription"/> to its end; fails the test if it does not end within 10 s.</summary>
    public static async Task<List<Tick>> ReadToEndAsync(TickSubscription subscription)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var ticks = new List<Tick>();
        await foreach (var tick in subscription.WithCancellation(bound.Token))
        {
            ticks.Add(tick);
        }

        return ticks;
    }
}
