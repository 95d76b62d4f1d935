using System.Text;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Kite.Polling;

/// <summary>Builds Kite market-quote requests (protocols §2.6): <c>GET /quote/ltp?i=NSE:INFY&amp;i=BSE:SENSEX</c>.</summary>
internal static class QuoteRequest
{
    /// <summary><c>/quote/ltp</c> for LTP, the full <c>/quote</c> when the feed needs quote fields.</summary>
    public static string Path(FeedMode mode) => mode == FeedMode.Ltp ? "/quote/ltp" : "/quote";

    /// <summary>Instruments per request: the LTP batch for <c>/quote/ltp</c>, the quote batch for <c>/quote</c>.</summary>
    public static int BatchSize(KiteOptions options, FeedMode mode) => mode == FeedMode.Ltp ? options.PollLtpBatchSize : options.PollQuoteBatchSize;

    /// <summary>The key Kite polls by and answers with: <c>EXCHANGE:TRADINGSYMBOL</c>.</summary>
    public static string Key(Instrument instrument) => $"{instrument.Exchange.ToName()}:{instrument.Symbol}";

    /// <summary>The request URL, keeping any path base of <paramref name="restUrl"/>, with one <c>i</c> parameter per instrument.</summary>
    public static Uri Url(Uri restUrl, FeedMode mode, ReadOnlySpan<Instrument> batch)
    {
        var url = new StringBuilder(restUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')).Append(Path(mode));
        for (var i = 0; i < batch.Length; i++)
        {
            url.Append(i == 0 ? "?i=" : "&i=");
            Encode(url, Key(batch[i]));
        }

        return new Uri(url.ToString());
    }

    // As the docs write it: the colon stays, a space is '+', anything else outside the unreserved
    // set is percent-encoded (so "M&M" cannot split the query and "NIFTY 50" reads NIFTY+50).
    private static void Encode(StringBuilder url, string value)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '.' or '_' or '~' or ':'))
            {
                url.Append((char)rune.Value);
            }
            else if (rune.Value == ' ')
            {
                url.Append('+');
            }
            else
            {
                var written = rune.EncodeToUtf8(utf8);
                for (var b = 0; b < written; b++)
                {
                    url.Append('%').Append(utf8[b].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
    }
}
