using FeedGuard.Instruments;

namespace FeedGuard.Ticks;

/// <summary>
/// Every optional field of a <see cref="Tick"/> as a raw value, with one mask saying which are
/// present: what a decoder fills while reading a packet, to build the whole tick in one step with
/// <see cref="Tick(Instrument, TickSource, long, byte, long, in TickValues)"/>. Plain values, no
/// per-field nullable or flag work (trivial properties, inlined to plain stores), so a hot decode
/// path pays for stores only.
/// </summary>
/// <remarks>
/// Set a field's flag in <see cref="Fields"/> when setting the field; leave fields whose flag is
/// absent at 0 (the tick reports them as null, but its equality compares the stored values).
/// <see cref="TickFields.BuySellTotals"/> covers both totals; a tick with only one of them is built
/// with the <see cref="Tick.TotalBuyQuantity"/> or <see cref="Tick.TotalSellQuantity"/> initializer.
/// </remarks>
public struct TickValues
{
    // DateTime.UnixEpoch.Ticks, as a constant the JIT folds.
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    /// <summary>Which of the fields below are present.</summary>
    public TickFields Fields { get; set; }

    /// <summary>Exchange time in UTC ticks (flag <see cref="TickFields.ExchangeTime"/>).</summary>
    public long ExchangeTimeUtcTicks { get; set; }

    /// <summary>The broker's sequence number (<see cref="TickFields.Sequence"/>).</summary>
    public long Sequence { get; set; }

    /// <summary>Quantity of the last trade (<see cref="TickFields.LastQuantity"/>).</summary>
    public long LastQuantity { get; set; }

    /// <summary>Volume traded today (<see cref="TickFields.Volume"/>).</summary>
    public long Volume { get; set; }

    /// <summary>Average traded price in units (<see cref="TickFields.AveragePrice"/>).</summary>
    public long AveragePriceUnits { get; set; }

    /// <summary>Total pending buy quantity (<see cref="TickFields.BuySellTotals"/>).</summary>
    public long TotalBuyQuantity { get; set; }

    /// <summary>Total pending sell quantity (<see cref="TickFields.BuySellTotals"/>).</summary>
    public long TotalSellQuantity { get; set; }

    /// <summary>Day open in units (<see cref="TickFields.Ohlc"/>).</summary>
    public long OpenUnits { get; set; }

    /// <summary>Day high in units (<see cref="TickFields.Ohlc"/>).</summary>
    public long HighUnits { get; set; }

    /// <summary>Day low in units (<see cref="TickFields.Ohlc"/>).</summary>
    public long LowUnits { get; set; }

    /// <summary>Previous close in units (<see cref="TickFields.Ohlc"/>).</summary>
    public long CloseUnits { get; set; }

    /// <summary>Open interest (<see cref="TickFields.OpenInterest"/>).</summary>
    public long OpenInterest { get; set; }

    /// <summary>Best bid price in units (<see cref="TickFields.BestBid"/>).</summary>
    public long BidPriceUnits { get; set; }

    /// <summary>Best bid quantity (<see cref="TickFields.BestBid"/>).</summary>
    public long BidQuantity { get; set; }

    /// <summary>Best ask price in units (<see cref="TickFields.BestAsk"/>).</summary>
    public long AskPriceUnits { get; set; }

    /// <summary>Best ask quantity (<see cref="TickFields.BestAsk"/>).</summary>
    public long AskQuantity { get; set; }

    /// <summary>UTC ticks of a Unix time in seconds, by arithmetic (no <see cref="DateTimeOffset"/> round trip); valid for any <see cref="uint"/>.</summary>
    public static long UnixSecondsToUtcTicks(uint seconds) => UnixEpochTicks + (seconds * TimeSpan.TicksPerSecond);

    /// <summary>UTC ticks of a Unix time in milliseconds; the caller keeps it within <see cref="DateTimeOffset"/>'s range.</summary>
    public static long UnixMillisecondsToUtcTicks(long milliseconds) => UnixEpochTicks + (milliseconds * TimeSpan.TicksPerMillisecond);
}
