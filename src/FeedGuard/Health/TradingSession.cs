using FeedGuard.Instruments;

namespace FeedGuard.Health;

/// <summary>
/// When one exchange trades, in India Standard Time (UTC+05:30, no daylight saving) whatever the
/// machine's time zone. Outside the session silence is normal and never triggers a failover.
/// </summary>
public sealed record TradingSession
{
    /// <summary>Start of continuous trading, IST.</summary>
    public TimeOnly Open { get; init; } = new(9, 15);

    /// <summary>End of continuous trading, IST (exclusive). Must be after <see cref="Open"/>.</summary>
    public TimeOnly Close { get; init; } = new(15, 30);

    /// <summary>Open around the clock, every day: 24-hour markets, the emulator, demos and tests.</summary>
    public bool AlwaysOpen { get; init; }

    /// <summary>Trades on Saturday and Sunday too. Default false.</summary>
    public bool TradesOnWeekends { get; init; }

    /// <summary>Extra closed dates for this exchange only (IST dates), on top of the calendar's holidays.</summary>
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];

    /// <summary>A session that never closes.</summary>
    public static TradingSession Always { get; } = new() { AlwaysOpen = true };

    /// <summary>
    /// The defaults: NSE/BSE cash and F&amp;O 09:15–15:30, currency 09:00–17:00, MCX 09:00–23:30,
    /// NCDEX 09:00–17:00; weekends closed.
    /// </summary>
    public static TradingSession DefaultFor(Exchange exchange) => exchange switch
    {
        Exchange.Nse or Exchange.Nfo or Exchange.Bse or Exchange.Bfo => new TradingSession { Open = new(9, 15), Close = new(15, 30) },
        Exchange.Cds or Exchange.Bcd or Exchange.Mcxsx => new TradingSession { Open = new(9, 0), Close = new(17, 0) },
        Exchange.Mcx => new TradingSession { Open = new(9, 0), Close = new(23, 30) },
        Exchange.Ncdex => new TradingSession { Open = new(9, 0), Close = new(17, 0) },
        _ => throw new ArgumentOutOfRangeException(nameof(exchange), exchange, "Unknown exchange."),
    };
}
