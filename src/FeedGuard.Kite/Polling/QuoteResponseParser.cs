using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Sources;
using FeedGuard.Sources.Rest;
using FeedGuard.Ticks;

namespace FeedGuard.Kite.Polling;

/// <summary>
/// Reads a successful quote envelope's <c>data</c> object (keyed by <c>EXCHANGE:TRADINGSYMBOL</c>)
/// into poll ticks. Rupee prices are converted exactly (decimal, never double). An answer whose
/// <c>instrument_token</c> is not the configured token is refused: token and symbol name different
/// instruments, and a tick must not be filed under the wrong one.
/// </summary>
internal static class QuoteResponseParser
{
    /// <summary>Adds a tick (or a miss, when unusable) per answered instrument and records every instrument answered.</summary>
    public static void Parse(
        JsonElement data,
        IReadOnlyDictionary<string, Instrument> byKey,
        DateTimeOffset receiveTime,
        List<Tick> ticks,
        List<PollMiss> misses,
        HashSet<Instrument> answered)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in data.EnumerateObject())
        {
            if (!byKey.TryGetValue(property.Name, out var instrument) || !answered.Add(instrument))
            {
                continue;
            }

            if (TryMakeTick(property.Value, instrument, receiveTime, out var tick, out var problem))
            {
                ticks.Add(tick);
            }
            else
            {
                misses.Add(new PollMiss(instrument, problem));
            }
        }
    }

    /// <summary>Reads <c>2021-06-08 15:45:56</c> as India Standard Time (+05:30).</summary>
    public static DateTimeOffset? ParseIst(string? text) => PolledQuote.ParseIst(text, "yyyy-MM-dd HH:mm:ss");

    private static bool TryMakeTick(JsonElement item, Instrument instrument, DateTimeOffset receiveTime, out Tick tick, out string problem)
    {
        tick = default;
        if (item.ValueKind != JsonValueKind.Object || Number(item, "last_price") is not { } ltp)
        {
            problem = "the quote carried no last_price";
            return false;
        }

        // Pollable instruments have a numeric token (KitePollingSource.Validate).
        var numeric = KiteSegments.TryParseToken(instrument.Token, out var configured);
        if (Quantity(item, "instrument_token") is { } answeredToken && (!numeric || answeredToken != configured))
        {
            problem = $"Kite answered {QuoteRequest.Key(instrument)} with instrument_token {answeredToken}, but it is configured with token {instrument.Token}";
            return false;
        }

        var ohlc = item.TryGetProperty("ohlc", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
        var (bidPrice, bidQuantity) = BestLevel(item, "buy");
        var (askPrice, askQuantity) = BestLevel(item, "sell");
        var quote = new PolledQuote
        {
            LastPrice = ltp,
            Open = Number(ohlc, "open"),
            High = Number(ohlc, "high"),
            Low = Number(ohlc, "low"),
            Close = Number(ohlc, "close"),
            AveragePrice = Number(item, "average_price"),
            BidPrice = bidPrice,
            BidQuantity = bidQuantity,
            AskPrice = askPrice,
            AskQuantity = askQuantity,
            TotalBuyQuantity = Quantity(item, "buy_quantity"),
            TotalSellQuantity = Quantity(item, "sell_quantity"),
            LastQuantity = Quantity(item, "last_quantity"),
            Volume = Quantity(item, "volume"),
            OpenInterest = Quantity(item, "oi"),
            ExchangeTime = ParseIst(String(item, "timestamp")),
        };

        // One scale per tick: the segment's wire scale unless some price needs more places.
        return quote.TryToTick(instrument, KiteSegments.PriceScale(KiteSegments.Of(configured)), receiveTime, out tick, out problem);
    }

    private static (decimal? Price, long? Quantity) BestLevel(JsonElement item, string side)
    {
        if (item.TryGetProperty("depth", out var depth) && depth.ValueKind == JsonValueKind.Object
            && depth.TryGetProperty(side, out var levels) && levels.ValueKind == JsonValueKind.Array && levels.GetArrayLength() > 0)
        {
            var first = levels[0];
            return (Number(first, "price"), Quantity(first, "quantity"));
        }

        return (null, null);
    }

    private static decimal? Number(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number)
            ? number
            : null;

    private static long? Quantity(JsonElement item, string name) =>
        Number(item, name) is { } value && value == decimal.Truncate(value) && value >= long.MinValue && value <= long.MaxValue ? (long)value : null;

    private static string? String(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
