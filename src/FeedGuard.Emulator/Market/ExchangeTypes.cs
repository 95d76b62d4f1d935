namespace FeedGuard.Emulator.Market;

/// <summary>
/// SmartAPI exchange codes, names and price units (protocols §1.3). Kite instruments share the
/// market under their own codes, <see cref="KiteBase"/> + Kite segment (protocols §2.4), so a
/// Kite token never aliases a SmartAPI token.
/// </summary>
internal static class ExchangeTypes
{
    public const byte Currency = 13;

    /// <summary>Market code of Kite segment s is KiteBase + s (s = 1 NSE … 9 INDICES).</summary>
    public const byte KiteBase = 100;

    private const byte KiteCds = KiteBase + 3;
    private const byte KiteBcd = KiteBase + 6;

    private static readonly (string Name, byte Type)[] Names =
    [
        ("NSE", 1), ("NFO", 2), ("BSE", 3), ("BFO", 4), ("MCX", 5), ("NCDEX", 7), ("CDS", Currency),
    ];

    /// <summary>A SmartAPI exchange type a SmartStream request may name.</summary>
    public static bool IsValid(long exchangeType) => exchangeType is 1 or 2 or 3 or 4 or 5 or 7 or Currency;

    /// <summary>A Kite segment's market code (segments 1–9).</summary>
    public static bool IsKite(long exchangeType) => exchangeType is > KiteBase and <= KiteBase + 9;

    /// <summary>Any code the market can simulate: SmartAPI exchange types and Kite segments.</summary>
    public static bool IsMarket(long exchangeType) => IsValid(exchangeType) || IsKite(exchangeType);

    /// <summary>Currency segments: SmartAPI cde_fo, Kite CDS and BCD.</summary>
    public static bool IsCurrency(byte exchangeType) => exchangeType is Currency or KiteCds or KiteBcd;

    /// <summary>Price units per rupee: 100 (paise), 10^7 for SmartAPI and Kite CDS currency, 10^4 for Kite BCD.</summary>
    public static long Divisor(byte exchangeType) => exchangeType switch
    {
        Currency or KiteCds => 10_000_000,
        KiteBcd => 10_000,
        _ => 100,
    };

    /// <summary>The price grid: ₹0.05 (5 paise), or ₹0.0025 for currency, the exchange's own tick size.</summary>
    public static long TickSize(byte exchangeType) => IsCurrency(exchangeType) ? Divisor(exchangeType) / 400 : 5;

    /// <summary>Derivative segments carry open interest (Kite: NFO, CDS, BFO, BCD, MCX, MCXSX).</summary>
    public static bool HasOpenInterest(byte exchangeType) =>
        exchangeType is 2 or 4 or 5 or 7 or Currency or KiteBase + 2 or KiteCds or KiteBase + 5 or KiteBcd or KiteBase + 7 or KiteBase + 8;

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
