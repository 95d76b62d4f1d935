using System.Globalization;
using FeedGuard.Instruments;

namespace FeedGuard.Kite.Codec;

/// <summary>
/// Kite's segment rules (protocols §2.4): the low byte of an instrument token names its segment,
/// which decides the price divisor. Segments 1–8 use the same numbers as FeedGuard's
/// <see cref="Exchange"/>; segment 9 is Kite's index segment, whose instruments FeedGuard files under
/// the exchange that publishes them (NIFTY 50 is <c>NSE:256265</c>).
/// </summary>
internal static class KiteSegments
{
    /// <summary>Kite's index segment: not tradable, its own packet layouts.</summary>
    public const byte Indices = 9;

    /// <summary>The exchanges Kite serves, for error messages.</summary>
    public const string Served = "NSE, NFO, CDS, BSE, BFO, BCD, MCX, MCXSX";

    /// <summary>The segment of <paramref name="token"/>: its low byte.</summary>
    public static byte Of(uint token) => (byte)(token & 0xFF);

    /// <summary>Decimal places of wire prices in <paramref name="segment"/>: CDS 7 (÷10^7), BCD 4 (÷10^4), else 2 (paise).</summary>
    public static byte PriceScale(byte segment) => segment switch
    {
        3 => 7,
        6 => 4,
        _ => 2,
    };

    /// <summary>True when Kite serves <paramref name="exchange"/> (everything FeedGuard names but NCDEX).</summary>
    public static bool Serves(Exchange exchange) => exchange is >= Exchange.Nse and <= Exchange.Mcxsx;

    /// <summary>Reads a token written in decimal as an unsigned 32-bit number.</summary>
    public static bool TryParseToken(string token, out uint value) =>
        uint.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// Why Kite cannot serve <paramref name="key"/>, or null. The stream needs a uint32 token whose
    /// segment agrees with the exchange; polling also needs the trading symbol.
    /// </summary>
    public static string? Problem(InstrumentKey key, bool needSymbol)
    {
        if (!Serves(key.Exchange))
        {
            return $"exchange {key.Exchange.ToName()} is not served by Kite (it serves {Served})";
        }

        if (!TryParseToken(key.Token, out var token))
        {
            return "the token is not Kite's numeric instrument_token (an unsigned 32-bit number)";
        }

        var segment = Of(token);
        if (segment is 0 or > Indices)
        {
            // Another broker's token (a SmartAPI one, say) would subscribe and never tick.
            return $"the token's low byte ({segment}) is not a Kite segment (1–9), so it is not Kite's instrument_token";
        }

        if (segment != Indices && segment != (byte)key.Exchange)
        {
            return $"the token's segment ({segment} = {((Exchange)segment).ToName()}) is not {key.Exchange.ToName()}";
        }

        return needSymbol && string.IsNullOrWhiteSpace(key.Symbol)
            ? "no trading symbol: Kite polls by EXCHANGE:TRADINGSYMBOL, so write it EXCHANGE:TOKEN:SYMBOL (for example NSE:408065:INFY)"
            : null;
    }

    /// <summary>One message per kind of problem, naming up to ten instruments each.</summary>
    public static IReadOnlyList<string> Problems(IEnumerable<Instrument> instruments, bool needSymbol)
    {
        var byProblem = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var instrument in instruments)
        {
            if (Problem(instrument.Key, needSymbol) is { } problem)
            {
                if (!byProblem.TryGetValue(problem, out var names))
                {
                    byProblem[problem] = names = [];
                }

                names.Add(instrument.Key.ToString());
            }
        }

        return [.. byProblem.Select(p => $"Kite cannot serve {Names(p.Value)}: {p.Key}.")];
    }

    private static string Names(List<string> names) =>
        names.Count <= 10 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(10))} and {names.Count - 10} more";
}
