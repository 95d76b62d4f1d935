using System.Globalization;
using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;
using FeedGuard.Sources;
using FeedGuard.Sources.Rest;
using FeedGuard.Ticks;

namespace FeedGuard.SmartApi.Polling;

/// <summary>
/// Reads a successful quote envelope's <c>data.fetched[]</c> and <c>data.unfetched[]</c> into poll
/// ticks and misses. Rupee prices are converted exactly (decimal, never double).
/// </summary>
internal static class QuoteResponseParser
{
    /// <summary>Adds a tick per fetched instrument and a miss per unfetched one, and records every instrument answered.</summary>
    public static void Parse(JsonElement data, InstrumentRegistry registry, DateTimeOffset receiveTime, List<Tick> ticks, List<PollMiss> misses, HashSet<Instrument> answered)
    {
        if (data.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (data.TryGetProperty("fetched", out var fetched) && fetched.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in fetched.EnumerateArray())
            {
                if (Find(item, registry) is not { } instrument || answered.Contains(instrument))
                {
                    continue;
                }

                answered.Add(instrument);
                if (TryMakeTick(item, instrument, receiveTime, out var tick, out var problem))
                {
                    ticks.Add(tick);
                }
                else
                {
                    misses.Add(new PollMiss(instrument, problem));
                }
            }
        }

        if (data.TryGetProperty("unfetched", out var unfetched) && unfetched.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in unfetched.EnumerateArray())
            {
                if (Find(item, registry) is not { } instrument || !answered.Add(instrument))
                {
                    continue;
                }

                var message = String(item, "message") ?? "not fetched";
                var code = String(item, "errorCode") ?? String(item, "errorcode");
                misses.Add(new PollMiss(instrument, Bound(string.IsNullOrEmpty(code) ? message : $"{message} ({code})")));
            }
        }
    }

    /// <summary>Reads <c>21-Jun-2023 10:46:10</c> as India Standard Time (+05:30).</summary>
    public static DateTimeOffset? ParseIst(string? text) => PolledQuote.ParseIst(text, "dd-MMM-yyyy HH:mm:ss");

    private static Instrument? Find(JsonElement item, InstrumentRegistry registry)
    {
        var token = String(item, "symbolToken");
        var exchangeName = String(item, "exchange");
        if (token is null || exchangeName is null || !ExchangeNames.TryParse(exchangeName, out var exchange))
        {
            return null;
        }

        return registry.TryGet(exchange.Value, token, out var instrument) ? instrument : null;
    }

    private static bool TryMakeTick(JsonElement item, Instrument instrument, DateTimeOffset receiveTime, out Tick tick, out string problem)
    {
        tick = default;
        if (Number(item, "ltp") is not { } ltp)
        {
            problem = "the quote carried no ltp";
            return false;
        }

        var (bidPrice, bidQuantity) = BestLevel(item, "buy");
        var (askPrice, askQuantity) = BestLevel(item, "sell");
        var quote = new PolledQuote
        {
            LastPrice = ltp,
            Open = Number(item, "open"),
            High = Number(item, "high"),
            Low = Number(item, "low"),
            Close = Number(item, "close"),
            AveragePrice = Number(item, "avgPrice"),
            BidPrice = bidPrice,
            BidQuantity = bidQuantity,
            AskPrice = askPrice,
            AskQuantity = askQuantity,
            TotalBuyQuantity = Quantity(item, "totBuyQuan"),
            TotalSellQuantity = Quantity(item, "totSellQuan"),
            LastQuantity = Quantity(item, "lastTradeQty"),
            Volume = Quantity(item, "tradeVolume"),
            OpenInterest = Quantity(item, "opnInterest"),
            ExchangeTime = ParseIst(String(item, "exchFeedTime")),
        };

        // One scale per tick: the exchange's wire scale unless some price needs more places.
        return quote.TryToTick(instrument, SmartApiExchanges.PriceScale(instrument.Exchange), receiveTime, out tick, out problem);
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

    private static decimal? Number(JsonElement item, string name)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        // Some documentation samples quote numbers as strings ("19100").
        return value.ValueKind == JsonValueKind.String && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out number)
            ? number
            : null;
    }

    private static long? Quantity(JsonElement item, string name) =>
        Number(item, name) is { } value && value == decimal.Truncate(value) && value >= long.MinValue && value <= long.MaxValue ? (long)value : null;

    private static string? String(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    private static string Bound(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
