namespace FeedGuard.Emulator.Market;

/// <summary>SmartAPI exchange codes, names and price units (protocols §1.3).</summary>
internal static class ExchangeTypes
{
    public const byte Currency = 13;

    private static readonly (string Name, byte Type)[] Names =
    [
        ("NSE", 1), ("NFO", 2), ("BSE", 3), ("BFO", 4), ("MCX", 5), ("NCDEX", 7), ("CDS", Currency),
    ];

    public static bool IsValid(long exchangeType) => exchangeType is 1 or 2 or 3 or 4 or 5 or 7 or Currency;

    /// <summary>Price units per rupee: 100 (paise), or 10^7 for currency.</summary>
    public static long Divisor(byte exchangeType) => exchangeType == Currency ? 10_000_000 : 100;

    /// <summary>The price grid: ₹0.05 (5 paise), or ₹0.0025 for currency, the exchange's own tick size.</summary>
    public static long TickSize(byte exchangeType) => exchangeType == Currency ? 25_000 : 5;

    /// <summary>Derivative segments carry open interest.</summary>
    public static bool HasOpenInterest(byte exchangeType) => exchangeType is 2 or 4 or 5 or 7 or Currency;

    public static bool TryParseName(string name, out byte exchangeType)
    {
        foreach (var (n, t) in Names)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                exchangeType = t;
                return true;
            }
        }

        exchangeType = 0;
        return false;
    }

    /// <summary>Emulated scrip master: any token of 1–10 ASCII digits exists.</summary>
    public static bool IsKnownToken(string token)
    {
        if (token.Length is 0 or > 10)
        {
            return false;
        }

        foreach (var c in token)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    public static string TradingSymbol(byte exchangeType, string token) =>
        exchangeType is 1 or 3 ? $"EMU{token}-EQ" : $"EMU{token}";
}
