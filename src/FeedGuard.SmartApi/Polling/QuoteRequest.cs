using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.SmartApi.Polling;

/// <summary>Builds SmartAPI market-data quote requests (protocols §1.7).</summary>
internal static class QuoteRequest
{
    /// <summary>The quote endpoint, relative to <see cref="SmartApiOptions.RestUrl"/>.</summary>
    public const string Path = "/rest/secure/angelbroking/market/v1/quote";

    /// <summary><c>FULL</c> when the feed needs quote fields (Quote or Full), else <c>LTP</c>.</summary>
    public static string ModeName(FeedMode mode) => mode == FeedMode.Ltp ? "LTP" : "FULL";

    /// <summary>The endpoint URL, keeping any path base of <paramref name="restUrl"/>.</summary>
    public static Uri Endpoint(Uri restUrl) => new(restUrl.AbsoluteUri.TrimEnd('/') + Path);

    /// <summary>
    /// <c>{"mode":"LTP","exchangeTokens":{"NSE":["3045"],"NFO":["57920"]}}</c>, exchanges in order of
    /// first appearance.
    /// </summary>
    public static byte[] Body(FeedMode mode, ReadOnlySpan<Instrument> batch)
    {
        var groups = new List<(Exchange Exchange, List<string> Tokens)>();
        foreach (var instrument in batch)
        {
            var index = groups.FindIndex(g => g.Exchange == instrument.Exchange);
            if (index < 0)
            {
                groups.Add((instrument.Exchange, [instrument.Token]));
            }
            else
            {
                groups[index].Tokens.Add(instrument.Token);
            }
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("mode", ModeName(mode));
            writer.WriteStartObject("exchangeTokens");
            foreach (var (exchange, tokens) in groups)
            {
                writer.WriteStartArray(exchange.ToName());
                foreach (var token in tokens)
                {
                    writer.WriteStringValue(token);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
