using System.Globalization;
using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.SmartApi.Polling;

/// <summary>
/// Reads a successful quote envelope's <c>data.fetched[]</c> and <c>data.unfetched[]</c> into poll
/// ticks and misses. Rupee prices are converted exactly (decimal, never double).
/// </summary>
internal static class QuoteResponseParser
{
    private static readonly TimeSpan Ist = new(5, 30, 0);

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
    public static DateTimeOffset? ParseIst(string? text)
    {
        if (text is null || !DateTime.TryParseExact(text, "dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return null;
        }

        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Ist);
    }

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

        var open = Number(item, "open");
        var high = Number(item, "high");
        var low = Number(item, "low");
        var close = Number(item, "close");
        var average = Number(item, "avgPrice");
        var (bidPrice, bidQuantity) = BestLevel(item, "buy");
        var (askPrice, askQuantity) = BestLevel(item, "sell");

        // One scale per tick: the exchange's wire scale unless some price needs more places.
        if (!Prices.TryFindCommonScale(SmartApiExchanges.PriceScale(instrument.Exchange), [ltp, open, high, low, close, average, bidPrice, askPrice], out var scale))
        {
            problem = "a price in the quote has more decimal places than a tick can carry";
            return false;
        }

        tick = new Tick(instrument, TickSource.Poll, Prices.ToUnits(ltp, scale), scale, receiveTime)
        {
            ExchangeTime = ParseIst(String(item, "exchFeedTime")),
            LastQuantity = Quantity(item, "lastTradeQty"),
            Volume = Quantity(item, "tradeVolume"),
            OpenInterest = Quantity(item, "opnInterest"),
        };

        if (average is { } avg)
        {
            tick = tick with { AveragePriceUnits = Prices.ToUnits(avg, scale) };
        }

        if (open is { } o && high is { } h && low is { } l && close is { } c)
        {
            tick = tick with { OpenUnits = Prices.ToUnits(o, scale), HighUnits = Prices.ToUnits(h, scale), LowUnits = Prices.ToUnits(l, scale), CloseUnits = Prices.ToUnits(c, scale) };
        }

        if (Quantity(item, "totBuyQuan") is { } totalBuy && Quantity(item, "totSellQuan") is { } totalSell)
        {
            tick = tick with { TotalBuyQuantity = totalBuy, TotalSellQuantity = totalSell };
        }

        if (bidPrice is { } bid && bidQuantity is > 0)
        {
            tick = tick with { BidPriceUnits = Prices.ToUnits(bid, scale), BidQuantity = bidQuantity.Value };
        }

        if (askPrice is { } ask && askQuantity is > 0)
        {
            tick = tick with { AskPriceUnits = Prices.ToUnits(ask, scale), AskQuantity = askQuantity.Value };
        }

        problem = "";
        return true;
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
