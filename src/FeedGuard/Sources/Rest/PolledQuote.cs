using System.Globalization;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Sources.Rest;

/// <summary>
/// One instrument's REST quote, read out of whichever envelope the broker uses, on its way to
/// becoming a poll tick. The conversion is the same for every broker: every price at one scale
/// (the exchange's wire scale unless some price needs more places), optional fields only when the
/// broker sent them, a best bid or ask only when it has a quantity, OHLC only when complete.
/// </summary>
public readonly record struct PolledQuote
{
    private static readonly TimeSpan Ist = new(5, 30, 0);

    /// <summary>Last traded price.</summary>
    public required decimal LastPrice { get; init; }

    /// <summary>Day's open.</summary>
    public decimal? Open { get; init; }

    /// <summary>Day's high.</summary>
    public decimal? High { get; init; }

    /// <summary>Day's low.</summary>
    public decimal? Low { get; init; }

    /// <summary>Previous close.</summary>
    public decimal? Close { get; init; }

    /// <summary>Volume-weighted average price.</summary>
    public decimal? AveragePrice { get; init; }

    /// <summary>Best bid price.</summary>
    public decimal? BidPrice { get; init; }

    /// <summary>Best bid quantity.</summary>
    public long? BidQuantity { get; init; }

    /// <summary>Best ask price.</summary>
    public decimal? AskPrice { get; init; }

    /// <summary>Best ask quantity.</summary>
    public long? AskQuantity { get; init; }

    /// <summary>Total pending buy quantity.</summary>
    public long? TotalBuyQuantity { get; init; }

    /// <summary>Total pending sell quantity.</summary>
    public long? TotalSellQuantity { get; init; }

    /// <summary>Last traded quantity.</summary>
    public long? LastQuantity { get; init; }

    /// <summary>Day's volume.</summary>
    public long? Volume { get; init; }

    /// <summary>Open interest.</summary>
    public long? OpenInterest { get; init; }

    /// <summary>When the exchange stamped the quote.</summary>
    public DateTimeOffset? ExchangeTime { get; init; }

    /// <summary>Reads an exchange timestamp in <paramref name="format"/> as India Standard Time (+05:30); null when absent or unreadable.</summary>
    public static DateTimeOffset? ParseIst(string? text, string format)
    {
        if (text is null || !DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Ist);
    }

    /// <summary>The quote as a <see cref="TickSource.Poll"/> tick; false with a reason when a price cannot be carried exactly.</summary>
    /// <param name="instrument">Whose quote it is.</param>
    /// <param name="wireScale">The decimal places the exchange quotes in.</param>
    /// <param name="receiveTime">When the answer arrived.</param>
    /// <param name="tick">The tick.</param>
    /// <param name="problem">Why there is none.</param>
    public bool TryToTick(Instrument instrument, byte wireScale, DateTimeOffset receiveTime, out Tick tick, out string problem)
    {
        tick = default;
        if (!Prices.TryFindCommonScale(wireScale, [LastPrice, Open, High, Low, Close, AveragePrice, BidPrice, AskPrice], out var scale))
        {
            problem = "a price in the quote has more decimal places than a tick can carry";
            return false;
        }

        tick = new Tick(instrument, TickSource.Poll, Prices.ToUnits(LastPrice, scale), scale, receiveTime)
        {
            ExchangeTime = ExchangeTime,
            LastQuantity = LastQuantity,
            Volume = Volume,
            OpenInterest = OpenInterest,
        };

        if (AveragePrice is { } average)
        {
            tick = tick with { AveragePriceUnits = Prices.ToUnits(average, scale) };
        }

        if (Open is { } open && High is { } high && Low is { } low && Close is { } close)
        {
            tick = tick with { OpenUnits = Prices.ToUnits(open, scale), HighUnits = Prices.ToUnits(high, scale), LowUnits = Prices.ToUnits(low, scale), CloseUnits = Prices.ToUnits(close, scale) };
        }

        if (TotalBuyQuantity is { } totalBuy && TotalSellQuantity is { } totalSell)
        {
            tick = tick with { TotalBuyQuantity = totalBuy, TotalSellQuantity = totalSell };
        }

        if (BidPrice is { } bid && BidQuantity is > 0)
        {
            tick = tick with { BidPriceUnits = Prices.ToUnits(bid, scale), BidQuantity = BidQuantity.Value };
        }

        if (AskPrice is { } ask && AskQuantity is > 0)
        {
            tick = tick with { AskPriceUnits = Prices.ToUnits(ask, scale), AskQuantity = AskQuantity.Value };
        }

        problem = "";
        return true;
    }
}
