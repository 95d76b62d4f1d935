using FeedGuard.Instruments;

namespace FeedGuard.Health;

/// <summary>Trading sessions per exchange and the holiday list.</summary>
public sealed record SessionCalendarOptions
{
    /// <summary>Sessions that replace <see cref="TradingSession.DefaultFor"/> for the exchanges they name.</summary>
    public IReadOnlyDictionary<Exchange, TradingSession> Exchanges { get; init; } = new Dictionary<Exchange, TradingSession>();

    /// <summary>Dates (IST) on which every exchange is closed.</summary>
    public IReadOnlyList<DateOnly> Holidays { get; init; } = [];

    /// <summary>Treat every exchange as always open (the emulator's market never closes). Default false.</summary>
    public bool AlwaysOpen { get; init; }

    /// <summary>Every problem with these options, each naming its key under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        foreach (var (exchange, session) in Exchanges)
        {
            if (!Enum.IsDefined(exchange))
            {
                // The calendar would silently ignore it, and naming it would throw.
                yield return $"{prefix}Exchanges:{(int)exchange} is not a known exchange; allowed: {ExchangeNames.AllowedValues}.";
            }
            else if (session is null)
            {
                yield return $"{prefix}Exchanges:{exchange.ToName()} is empty.";
            }
            else if (!session.AlwaysOpen && session.Close <= session.Open)
            {
                yield return $"{prefix}Exchanges:{exchange.ToName()}:Close ({session.Close}) must be after Open ({session.Open}).";
            }
        }
    }
}
