using System.Globalization;
using System.Text.Json;
using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.Hosting;
using FeedGuard.Emulator.Market;
using Microsoft.AspNetCore.Http;

namespace FeedGuard.Emulator.SmartApi;

/// <summary>
/// SmartAPI REST market data (protocols §1.7): the quote endpoint and the older getLtpData.
/// Answers come from the same market the stream sends, so a token's REST price is its latest
/// streamed state. Prices are rupees as JSON numbers.
/// </summary>
internal sealed class SmartRestEndpoint
{
    public const string QuotePath = "/rest/secure/angelbroking/market/v1/quote";
    public const string LtpDataPath = "/rest/secure/angelbroking/order/v1/getLtpData";
    public const string LtpDataServicePath = "/order-service/rest/secure/angelbroking/order/v1/getLtpData";
    public const string RateLimitBody = "Access denied because of exceeding access rate";

    private const string InvalidTokenMessage = "Invalid Token";
    private const string InvalidTokenCode = "AG8001";
    private static readonly TimeSpan DefaultSlowDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Ist = TimeSpan.FromHours(5.5);

    private readonly EmulatorRuntime _runtime;
    private readonly TokenBucket _quoteLimit;
    private readonly TokenBucket _ltpLimit;

    public SmartRestEndpoint(EmulatorRuntime runtime)
    {
        _runtime = runtime;
        _quoteLimit = new TokenBucket(runtime.Time, runtime.Options.SmartApi.QuoteRequestsPerSecond);
        _ltpLimit = new TokenBucket(runtime.Time, runtime.Options.SmartApi.LtpDataRequestsPerSecond);
    }

    public async Task QuoteAsync(HttpContext context)
    {
        if (!await GuardAsync(context, _quoteLimit).ConfigureAwait(false))
        {
            return;
        }

        using var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var root = body?.RootElement;
        if (root is not { ValueKind: JsonValueKind.Object } r
            || !r.TryGetProperty("mode", out var modeElement) || modeElement.ValueKind != JsonValueKind.String
            || !TryParseMode(modeElement.GetString(), out var mode)
            || !r.TryGetProperty("exchangeTokens", out var exchangeTokens) || exchangeTokens.ValueKind != JsonValueKind.Object)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "Invalid request payload", "AB4019").ConfigureAwait(false);
            return;
        }

        var requested = new List<(string Exchange, string Token)>();
        foreach (var exchange in exchangeTokens.EnumerateObject())
        {
            if (exchange.Value.ValueKind != JsonValueKind.Array)
            {
                await ErrorAsync(context, StatusCodes.Status400BadRequest, "Invalid request payload", "AB4019").ConfigureAwait(false);
                return;
            }

            foreach (var token in exchange.Value.EnumerateArray())
            {
                requested.Add((exchange.Name, token.ValueKind == JsonValueKind.String ? token.GetString() ?? "" : token.ToString()));
            }
        }

        var cap = _runtime.Options.SmartApi.MaxTokensPerQuoteRequest;
        if (requested.Count > cap)
        {
            await ErrorAsync(context, StatusCodes.Status200OK, $"Only {cap} tokens allowed per request", "AB4020").ConfigureAwait(false);
            return;
        }

        _runtime.Counters.RestServed();
        await WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            StartEnvelope(writer);
            writer.WriteStartObject("data");
            writer.WriteStartArray("fetched");
            var unfetched = new List<(string Exchange, string Token, string Message, string Code)>();
            foreach (var (exchangeName, token) in requested)
            {
                var instrument = Resolve(exchangeName, token, out var message, out var code);
                if (instrument is null)
                {
                    unfetched.Add((exchangeName, token, message, code));
                    continue;
                }

                WriteQuote(writer, exchangeName, instrument.Snapshot(), mode);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("unfetched");
            foreach (var (exchangeName, token, message, code) in unfetched)
            {
                writer.WriteStartObject();
                writer.WriteString("exchange", exchangeName);
                writer.WriteString("symbolToken", token);
                writer.WriteString("message", message);
                writer.WriteString("errorCode", code);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    public async Task LtpDataAsync(HttpContext context)
    {
        if (!await GuardAsync(context, _ltpLimit).ConfigureAwait(false))
        {
            return;
        }

        using var body = await ReadBodyAsync(context).ConfigureAwait(false);
        var root = body?.RootElement;
        var exchangeName = root is { ValueKind: JsonValueKind.Object } r1 && r1.TryGetProperty("exchange", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : "";
        var token = root is { ValueKind: JsonValueKind.Object } r2 && r2.TryGetProperty("symboltoken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() ?? "" : "";
        var instrument = Resolve(exchangeName, token, out var message, out var code);
        if (instrument is null)
        {
            await ErrorAsync(context, StatusCodes.Status200OK, message, code).ConfigureAwait(false);
            return;
        }

        var snapshot = instrument.Snapshot();
        var divisor = ExchangeTypes.Divisor(snapshot.Key.ExchangeType);
        var symbol = root is { ValueKind: JsonValueKind.Object } r3 && r3.TryGetProperty("tradingsymbol", out var s) && s.ValueKind == JsonValueKind.String
            ? s.GetString() ?? "" : ExchangeTypes.TradingSymbol(snapshot.Key.ExchangeType, token);
        _runtime.Counters.RestServed();
        await WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            StartEnvelope(writer);
            writer.WriteStartObject("data");
            writer.WriteString("exchange", exchangeName);
            writer.WriteString("tradingsymbol", symbol);
            writer.WriteString("symboltoken", token);
            writer.WriteNumber("open", Rupees(snapshot.Quote.Open, divisor));
            writer.WriteNumber("high", Rupees(snapshot.Quote.High, divisor));
            writer.WriteNumber("low", Rupees(snapshot.Quote.Low, divisor));
            writer.WriteNumber("close", Rupees(snapshot.Quote.Close, divisor));
            writer.WriteNumber("ltp", Rupees(snapshot.LastTradedPrice, divisor));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>Applies REST faults, the rate limit and the token check; false when the request was answered.</summary>
    private async Task<bool> GuardAsync(HttpContext context, TokenBucket limit)
    {
        var faults = _runtime.Faults;
        var broker = EmulatorBrokers.SmartApi;
        if (faults.Find(FaultKind.RestSlow, broker) is { } slow)
        {
            await Task.Delay(slow.Delay ?? DefaultSlowDelay, _runtime.Time, context.RequestAborted).ConfigureAwait(false);
        }

        if (faults.IsActive(FaultKind.RateLimit, broker) || !limit.TryTake())
        {
            _runtime.Counters.RestRejected();
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(RateLimitBody, context.RequestAborted).ConfigureAwait(false);
            return false;
        }

        if (faults.Find(FaultKind.RestError, broker) is { } error)
        {
            _runtime.Counters.RestRejected();
            var status = error.StatusCode ?? StatusCodes.Status500InternalServerError;
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(error.Message ?? $"HTTP {status.ToString(CultureInfo.InvariantCulture)} (injected fault)", context.RequestAborted).ConfigureAwait(false);
            return false;
        }

        var authFault = faults.IsActive(FaultKind.AuthReject, broker);
        if (authFault || (_runtime.Options.SmartApi.AuthMode == SmartApiAuthMode.Strict && !TokenValid(context.Request)))
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, InvalidTokenMessage, InvalidTokenCode).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private bool TokenValid(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        var jwt = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : authorization.Trim();
        return string.Equals(jwt, _runtime.Options.SmartApi.JwtToken, StringComparison.Ordinal);
    }

    private Instrument? Resolve(string exchangeName, string token, out string message, out string code)
    {
        message = "";
        code = "";
        if (token.Length == 0)
        {
            message = "Symbol token cannot be empty";
            code = "AB4018";
            return null;
        }

        if (!ExchangeTypes.TryParseName(exchangeName, out var exchangeType))
        {
            message = "Invalid exchange";
            code = "AB4017";
            return null;
        }

        var instrument = _runtime.Market.GetOrCreate(new InstrumentKey(exchangeType, token));
        if (instrument is null)
        {
            message = "Invalid symbol token";
            code = "AB4018";
        }

        return instrument;
    }

    private static void WriteQuote(Utf8JsonWriter writer, string exchangeName, QuoteSnapshot q, string mode)
    {
        var divisor = ExchangeTypes.Divisor(q.Key.ExchangeType);
        writer.WriteStartObject();
        writer.WriteString("exchange", exchangeName);
        writer.WriteString("tradingSymbol", ExchangeTypes.TradingSymbol(q.Key.ExchangeType, q.Key.Token));
        writer.WriteString("symbolToken", q.Key.Token);
        writer.WriteNumber("ltp", Rupees(q.LastTradedPrice, divisor));
        if (mode is "OHLC" or "FULL")
        {
            writer.WriteNumber("open", Rupees(q.Quote.Open, divisor));
            writer.WriteNumber("high", Rupees(q.Quote.High, divisor));
            writer.WriteNumber("low", Rupees(q.Quote.Low, divisor));
            writer.WriteNumber("close", Rupees(q.Quote.Close, divisor));
        }

        if (mode == "FULL")
        {
            var change = q.LastTradedPrice - q.Quote.Close;
            writer.WriteNumber("lastTradeQty", q.Quote.LastTradedQuantity);
            writer.WriteString("exchFeedTime", IstText(DateTimeOffset.FromUnixTimeMilliseconds(q.ExchangeTimeMs)));
            writer.WriteString("exchTradeTime", IstText(DateTimeOffset.FromUnixTimeSeconds(q.Snap.LastTradedTimestampSeconds)));
            writer.WriteNumber("netChange", Rupees(change, divisor));
            writer.WriteNumber("percentChange", q.Quote.Close == 0 ? 0 : Math.Round((decimal)change * 100 / q.Quote.Close, 2));
            writer.WriteNumber("avgPrice", Rupees(q.Quote.AverageTradedPrice, divisor));
            writer.WriteNumber("tradeVolume", q.Quote.VolumeTradedToday);
            writer.WriteNumber("opnInterest", q.Snap.OpenInterest);
            writer.WriteNumber("lowerCircuit", Rupees(q.Snap.LowerCircuit, divisor));
            writer.WriteNumber("upperCircuit", Rupees(q.Snap.UpperCircuit, divisor));
            writer.WriteNumber("totBuyQuan", q.Quote.TotalBuyQuantity);
            writer.WriteNumber("totSellQuan", q.Quote.TotalSellQuantity);
            writer.WriteNumber("52WeekLow", Rupees(q.Snap.Low52Week, divisor));
            writer.WriteNumber("52WeekHigh", Rupees(q.Snap.High52Week, divisor));
            writer.WriteStartObject("depth");
            WriteDepth(writer, "buy", q.Bids, divisor);
            WriteDepth(writer, "sell", q.Asks, divisor);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteDepth(Utf8JsonWriter writer, string name, SmartDepthLevel[] levels, long divisor)
    {
        writer.WriteStartArray(name);
        foreach (var level in levels)
        {
            writer.WriteStartObject();
            writer.WriteNumber("price", Rupees(level.Price, divisor));
            writer.WriteNumber("quantity", level.Quantity);
            writer.WriteNumber("orders", level.Orders);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Exact decimal rupees, written without trailing zeros (582.1, not 582.10).</summary>
    private static decimal Rupees(long units, long divisor) => (decimal)units / divisor / 1.000000000000000000000000000000000m;

    private static string IstText(DateTimeOffset time) =>
        time.ToOffset(Ist).ToString("dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture);

    private static bool TryParseMode(string? text, out string mode)
    {
        mode = text?.ToUpperInvariant() ?? "";
        return mode is "LTP" or "OHLC" or "FULL";
    }

    private static void StartEnvelope(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("status", true);
        writer.WriteString("message", "SUCCESS");
        writer.WriteString("errorcode", "");
    }

    private async Task ErrorAsync(HttpContext context, int statusCode, string message, string code)
    {
        _runtime.Counters.RestRejected();
        await WriteJsonAsync(context, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteBoolean("status", false);
            writer.WriteString("message", message);
            writer.WriteString("errorcode", code);
            writer.WriteNull("data");
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static async Task<JsonDocument?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static async Task WriteJsonAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.Length;
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }
}
