using FeedGuard.Instruments;

namespace FeedGuard.SmartApi.Codec;

/// <summary>SmartAPI's exchangeType codes and REST exchange names mapped to FeedGuard's <see cref="Exchange"/>.</summary>
internal static class SmartApiExchanges
{
    /// <summary>The wire code for currency derivatives, whose prices are in 10^-7 rupee.</summary>
    public const byte CurrencyExchangeType = 13;

    /// <summary>The exchanges SmartAPI serves, for error messages.</summary>
    public const string Served = "NSE, NFO, BSE, BFO, MCX, NCDEX, CDS";

    /// <summary>Maps a wire exchangeType to an exchange; false for a code SmartAPI does not define.</summary>
    public static bool TryFromWire(byte exchangeType, out Exchange exchange)
    {
        exchange = exchangeType switch
        {
            1 => Exchange.Nse,
            2 => Exchange.Nfo,
            3 => Exchange.Bse,
            4 => Exchange.Bfo,
            5 => Exchange.Mcx,
            7 => Exchange.Ncdex,
            CurrencyExchangeType => Exchange.Cds,
            _ => default,
        };
        return exchange != default;
    }

    /// <summary>Maps an exchange to its wire exchangeType; false when SmartAPI does not serve it.</summary>
    public static bool TryToWire(Exchange exchange, out byte exchangeType)
    {
        exchangeType = exchange switch
        {
            Exchange.Nse => 1,
            Exchange.Nfo => 2,
            Exchange.Bse => 3,
            Exchange.Bfo => 4,
            Exchange.Mcx => 5,
            Exchange.Ncdex => 7,
            Exchange.Cds => CurrencyExchangeType,
            _ => 0,
        };
        return exchangeType != 0;
    }

    /// <summary>Decimal places of prices for an exchange: 7 for currency (÷10^7), else 2 (paise).</summary>
    public static byte PriceScale(Exchange exchange) => exchange == Exchange.Cds ? (byte)7 : (byte)2;

    /// <summary>The distinct exchanges in <paramref name="instruments"/> that SmartAPI does not serve.</summary>
    public static IReadOnlyList<string> Unserved(IEnumerable<Instrument> instruments)
    {
        var unserved = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var instrument in instruments)
        {
            if (!TryToWire(instrument.Exchange, out _))
            {
                unserved.Add(instrument.Exchange.ToName());
            }
        }

        return [.. unserved];
    }
}
