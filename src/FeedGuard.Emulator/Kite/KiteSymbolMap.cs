using System.Globalization;
using FeedGuard.Emulator.Market;

namespace FeedGuard.Emulator.Kite;

/// <summary>
/// <c>EXCHANGE:TRADINGSYMBOL</c> ↔ instrument token for Kite, and token → market key. Both the
/// ticker and REST resolve to the same <see cref="InstrumentKey"/>, so they read one state.
/// </summary>
internal sealed class KiteSymbolMap
{
    private static readonly (string Exchange, byte Segment)[] Exchanges =
    [
        ("NSE", 1), ("NFO", 2), ("CDS", 3), ("BSE", 4), ("BFO", 5), ("BCD", 6), ("MCX", 7), ("MCXSX", 8), ("INDICES", 9),
    ];

    private readonly Dictionary<string, uint> _tokens;
    private readonly bool _mapUnknown;

    public KiteSymbolMap(KiteEmulatorOptions options)
    {
        _tokens = new Dictionary<string, uint>(options.Instruments, StringComparer.Ordinal);
        _mapUnknown = options.MapUnknownSymbols;
    }

    /// <summary>The token of <c>EXCHANGE:TRADINGSYMBOL</c>, or false when it has no data (unknown exchange, malformed, or unmapped with mapping off).</summary>
    public bool TryResolve(string exchangeSymbol, out uint token)
    {
        if (_tokens.TryGetValue(exchangeSymbol, out token))
        {
            return true;
        }

        token = 0;
        var colon = exchangeSymbol.IndexOf(':', StringComparison.Ordinal);
        if (!_mapUnknown || colon <= 0 || colon == exchangeSymbol.Length - 1)
        {
            return false;
        }

        var exchange = exchangeSymbol.AsSpan(0, colon);
        foreach (var (name, segment) in Exchanges)
        {
            if (exchange.SequenceEqual(name))
            {
                token = ((0x400000u | (Fnv1a(exchangeSymbol) & 0x3FFFFFu)) << 8) | segment;
                return true;
            }
        }

        return false;
    }

    /// <summary>The market key of a token; false for segments outside 1–9 (such tokens are accepted by the ticker but never tick).</summary>
    public static bool TryGetKey(uint token, out InstrumentKey key)
    {
        var segment = KiteTickEncoder.Segment(token);
        if (segment is 0 or > KiteTickEncoder.IndicesSegment)
        {
            key = default;
            return false;
        }

        key = new InstrumentKey((byte)(ExchangeTypes.KiteBase + segment), token.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    private static uint Fnv1a(string text)
    {
        var h = 2166136261u;
        foreach (var c in text)
        {
            h ^= c;
            h *= 16777619u;
        }

        return h;
    }
}
