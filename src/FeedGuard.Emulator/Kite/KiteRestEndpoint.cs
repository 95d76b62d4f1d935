using System.Globalization;
using System.Text.Json;
using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.Hosting;
using FeedGuard.Emulator.Market;
using FeedGuard.Emulator.SmartApi;
using Microsoft.AspNetCore.Http;

namespace FeedGuard.Emulator.Kite;

/// <summary>
/// Kite REST market quotes (protocols §2.6): <c>GET /quote/ltp</c>, <c>/quote/ohlc</c> and
/// <c>/quote</c> with <c>i=EXCHANGE:TRADINGSYMBOL</c> repeated. Answers come from the market the
/// ticker sends, so a token's REST price is its latest streamed state. Instruments with no data
/// are left out of <c>data</c>; prices are rupees as JSON numbers.
/// </summary>
internal sealed class KiteRestEndpoint
{
    public const string QuotePath = "/quote";
    public const string OhlcPath = "/quote/ohlc";
    public const string LtpPath = "/quote/ltp";

    private static readonly TimeSpan DefaultSlowDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Ist = TimeSpan.FromHours(5.5);

    private readonly EmulatorRuntime _runtime;
    private readonly KiteSymbolMap _symbols;
    private readonly TokenBucket _limit;

    public KiteRestEndpoint(EmulatorRuntime runtime, KiteSymbolMap symbols)
    {
        _runtime = runtime;
        _symbols = symbols;
        _limit = new TokenBucket(runtime.Time, runtime.Options.Kite.QuoteRequestsPerSecond);
    }

    private enum Level
    {
        Ltp,
        Ohlc,
        Full,
    }

    public Task LtpAsync(HttpContext context) => AnswerAsync(context, Level.Ltp, _runtime.Options.Kite.MaxInstrumentsPerLtpRequest);

    public Task OhlcAsync(HttpContext context) => AnswerAsync(context, Level.Ohlc, _runtime.Options.Kite.MaxInstrumentsPerOhlcRequest);

    public Task QuoteAsync(HttpContext context) => AnswerAsync(context, Level.Full, _runtime.Options.Kite.MaxInstrumentsPerQuoteRequest);

    /// <summary>Whether a key/token pair passes under the configured auth mode.</summary>
    internal static bool CredentialsPass(KiteEmulatorOptions options, string apiKey, string accessToken) =>
        options.AuthMode == KiteAuthMode.Lenient
            ? apiKey.Length > 0 && accessToken.Length > 0
            : string.Equals(apiKey, options.ApiKey, StringComparison.Ordinal) && string.Equals(accessToken, options.AccessToken, StringComparison.Ordinal);

    private async Task AnswerAsync(HttpContext context, Level level, int cap)
    {
        if (!await GuardAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var requested = context.Request.Query["i"];
        if (requested.Count == 0)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, "No instruments specified.", KiteErrors.InputException).ConfigureAwait(false);
            return;
        }

        if (requested.Count > cap)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"Too many instruments. Max {cap} instruments are allowed per request.");
            await RejectAsync(context, StatusCodes.Status400BadRequest, message, KiteErrors.InputException).ConfigureAwait(false);
            return;
        }

        var found = new List<(string Name, uint Token, QuoteSnapshot Snapshot)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in requested)
        {
            if (name is null || !seen.Add(name) || !_symbols.TryResolve(name, out var token)
                || !KiteSymbolMap.TryGetKey(token, out var key) || _runtime.Market.GetOrCreate(key) is not { } instrument)
            {
                continue;
            }

            found.Add((name, token, instrument.Snapshot()));
        }

        _runtime.Counters.RestServed();
        await SmartRestEndpoint.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", "success");
            writer.WriteStartObject("data");
            foreach (var (name, token, snapshot) in found)
            {
                writer.WriteStartObject(name);
                WriteInstrument(writer, token, snapshot, level);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>Applies REST faults, the rate limit and the token check; false when the request was answered.</summary>
    private async Task<bool> GuardAsync(HttpContext context)
    {
        var faults = _runtime.Faults;
        if (faults.Find(FaultKind.RestSlow, EmulatorBrokers.Kite) is { } slow)
        {
            await Task.Delay(slow.Delay ?? DefaultSlowDelay, _runtime.Time, context.RequestAborted).ConfigureAwait(false);
        }

        if (faults.IsActive(FaultKind.RateLimit, EmulatorBrokers.Kite) || !_limit.TryTake())
        {
            await RejectAsync(context, StatusCodes.Status429TooManyRequests, KiteErrors.TooManyRequests, KiteErrors.NetworkException).ConfigureAwait(false);
            return false;
        }

        if (faults.Find(FaultKind.RestError, EmulatorBrokers.Kite) is { } error)
        {
            var status = error.StatusCode ?? StatusCodes.Status500InternalServerError;
            var message = error.Message ?? string.Create(CultureInfo.InvariantCulture, $"HTTP {status} (injected fault)");
            var type = status == StatusCodes.Status500InternalServerError ? KiteErrors.GeneralException : KiteErrors.NetworkException;
            await RejectAsync(context, status, message, type).ConfigureAwait(false);
            return false;
        }

        if (faults.Find(FaultKind.AuthReject, EmulatorBrokers.Kite) is { } auth)
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, auth.Message ?? KiteErrors.InvalidCredentials, KiteErrors.TokenException).ConfigureAwait(false);
            return false;
        }

        if (_runtime.Options.Kite.AuthMode == KiteAuthMode.Strict && !AuthorizationValid(context.Request))
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, KiteErrors.InvalidCredentials, KiteErrors.TokenException).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary><c>Authorization: token api_key:access_token</c>.</summary>
    private bool AuthorizationValid(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "token ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var credentials = header.AsSpan(Scheme.Length).Trim();
        var colon = credentials.IndexOf(':');
        return colon > 0 && CredentialsPass(_runtime.Options.Kite, credentials[..colon].ToString(), credentials[(colon + 1)..].ToString());
    }

    private Task RejectAsync(HttpContext context, int statusCode, string message, string errorType)
    {
        _runtime.Counters.RestRejected();
        return KiteErrors.WriteAsync(context, statusCode, message, errorType);
    }

    private static void WriteInstrument(Utf8JsonWriter writer, uint token, QuoteSnapshot q, Level level)
    {
        var divisor = KiteTickEncoder.PriceDivisor(token);
        var index = KiteTickEncoder.IsIndex(token);
        writer.WriteNumber("instrument_token", token);
        if (level == Level.Full)
        {
            writer.WriteString("timestamp", IstText(DateTimeOffset.FromUnixTimeMilliseconds(q.ExchangeTimeMs)));
            if (!index)
            {
                writer.WriteString("last_trade_time", IstText(DateTimeOffset.FromUnixTimeSeconds(q.Snap.LastTradedTimestampSeconds)));
            }
        }

        writer.WriteNumber("last_price", Rupees(q.LastTradedPrice, divisor));
        if (level == Level.Full)
        {
            var tradable = !index;
            writer.WriteNumber("last_quantity", tradable ? q.Quote.LastTradedQuantity : 0);
            writer.WriteNumber("buy_quantity", tradable ? (long)q.Quote.TotalBuyQuantity : 0);
            writer.WriteNumber("sell_quantity", tradable ? (long)q.Quote.TotalSellQuantity : 0);
            writer.WriteNumber("volume", tradable ? q.Quote.VolumeTradedToday : 0);
            writer.WriteNumber("average_price", tradable ? Rupees(q.Quote.AverageTradedPrice, divisor) : 0);
            var oi = q.Snap.OpenInterest;
            writer.WriteNumber("oi", oi);
            writer.WriteNumber("oi_day_high", oi == 0 ? 0 : KiteTickerSession.OpenInterestDayHigh(oi));
            writer.WriteNumber("oi_day_low", oi == 0 ? 0 : KiteTickerSession.OpenInterestDayLow(oi));
            writer.WriteNumber("net_change", Rupees(q.LastTradedPrice - q.Quote.Close, divisor));
            writer.WriteNumber("lower_circuit_limit", tradable ? Rupees(q.Snap.LowerCircuit, divisor) : 0);
            writer.WriteNumber("upper_circuit_limit", tradable ? Rupees(q.Snap.UpperCircuit, divisor) : 0);
        }

        if (level is Level.Ohlc or Level.Full)
        {
            writer.WriteStartObject("ohlc");
            writer.WriteNumber("open", Rupees(q.Quote.Open, divisor));
            writer.WriteNumber("high", Rupees(q.Quote.High, divisor));
            writer.WriteNumber("low", Rupees(q.Quote.Low, divisor));
            writer.WriteNumber("close", Rupees(q.Quote.Close, divisor));
            writer.WriteEndObject();
        }

        if (level == Level.Full)
        {
            writer.WriteStartObject("depth");
            WriteDepth(writer, "buy", q.Bids, divisor, index);
            WriteDepth(writer, "sell", q.Asks, divisor, index);
            writer.WriteEndObject();
        }
    }

    private static void WriteDepth(Utf8JsonWriter writer, string name, SmartDepthLevel[] levels, long divisor, bool empty)
    {
        writer.WriteStartArray(name);
        foreach (var level in levels)
        {
            writer.WriteStartObject();
            writer.WriteNumber("price", empty ? 0 : Rupees(level.Price, divisor));
            writer.WriteNumber("quantity", empty ? 0 : level.Quantity);
            writer.WriteNumber("orders", empty ? 0 : level.Orders);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Exact decimal rupees, written without trailing zeros (1074.35, not 1074.350).</summary>
    private static decimal Rupees(long units, long divisor) => (decimal)units / divisor / 1.000000000000000000000000000000000m;

    private static string IstText(DateTimeOffset time) =>
        time.ToOffset(Ist).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
