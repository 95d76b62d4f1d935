using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Sources;
using FeedGuard.Sources.Rest;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedGuard.Kite.Polling;

/// <summary>
/// Kite Connect's REST market quotes as a FeedGuard polling source: <c>GET /quote/ltp</c> (or the
/// full <c>/quote</c> when the feed mode needs quote fields) with one <c>i=EXCHANGE:TRADINGSYMBOL</c>
/// per instrument, as many requests as the batch size needs (1000 for ltp, 500 for quote), paced by
/// <see cref="KiteOptions.PollRequestsPerSecond"/> across polls. After a rate-limit answer it sends
/// nothing until the cooldown has passed. Instruments must carry their trading symbol
/// (<c>NSE:408065:INFY</c>); answers are matched back by it.
/// </summary>
public sealed class KitePollingSource : IPollingSource
{
    private readonly KiteOptions _options;
    private readonly HttpClient _http;
    private readonly Func<KiteCredentials> _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RequestPacer _pacer;
    private readonly BatchedPoll _poll;
    private Tuple<InstrumentRegistry, Dictionary<string, Instrument>>? _byKey;

    /// <summary>Creates the source.</summary>
    /// <param name="options">Validated here; throws <see cref="ArgumentException"/> naming each bad key.</param>
    /// <param name="httpClient">Owned by the host (handler, proxy, TLS policy); not disposed here.</param>
    /// <param name="credentials">Called on every request so a refreshed access token takes effect. Default: the credentials in <paramref name="options"/>.</param>
    /// <param name="timeProvider">Clock for pacing and timeouts. Default <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Default <see cref="NullLoggerFactory.Instance"/>.</param>
    public KitePollingSource(
        KiteOptions options,
        HttpClient httpClient,
        Func<KiteCredentials>? credentials = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        options.EnsureValid();
        _options = options;
        _http = httpClient;
        _credentials = credentials ?? (() => options.Credentials);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("FeedGuard.Kite.Poll");
        _pacer = new RequestPacer(options.PollRequestsPerSecond, options.RateLimitCooldown, "Kite quote endpoint", _time);
        _poll = new BatchedPoll(_pacer);
    }

    /// <inheritdoc />
    public string Name => "kite-rest";

    /// <inheritdoc />
    /// <remarks>Instruments without a trading symbol, without a numeric token, or on an exchange Kite does not serve.</remarks>
    public IReadOnlyList<string> Validate(StreamRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return KiteSegments.Problems(request.Instruments.All, needSymbol: true);
    }

    /// <inheritdoc />
    public TimeSpan MinimumPollDuration(StreamRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _poll.MinimumDuration(request.Instruments.Count, QuoteRequest.BatchSize(_options, request.Mode));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Rate limiting (HTTP 429, or a <c>NetworkException</c> envelope) and auth errors (HTTP 403, or a
    /// <c>TokenException</c> envelope) fail the whole poll. Any other failure fails the poll only when
    /// no batch succeeded; otherwise the failed batch's instruments are misses. Keys the broker
    /// leaves out of its answer are misses too.
    /// </remarks>
    public async ValueTask<PollResult> PollAsync(StreamRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var byKey = KeysFor(request.Instruments);
        var instruments = request.Instruments.All.Where(Pollable).ToArray();
        var size = QuoteRequest.BatchSize(_options, request.Mode);
        var result = await _poll.PollAsync(
            request.Instruments.All,
            instruments,
            size,
            async (batch, into, ct) =>
            {
                var data = await SendAsync(request.Mode, batch, ct).ConfigureAwait(false);
                QuoteResponseParser.Parse(data, byKey, _time.GetUtcNow(), into.Ticks, into.Misses, into.Answered);
            },
            instrument => Pollable(instrument)
                ? $"{QuoteRequest.Key(instrument)} is not in Kite's quote response"
                : $"Kite cannot poll {instrument.Key}: {KiteSegments.Problem(instrument.Key, needSymbol: true)}",
            (batch, batches, ex) => Log.PollRequestFailed(_logger, batch, batches, ex.Reason, ex.Message),
            cancellationToken).ConfigureAwait(false);

        if (result.Unfetched.Count > 0)
        {
            Log.PollUnfetched(_logger, result.Ticks.Count, result.Unfetched.Count);
        }

        return result;
    }

    private static bool Pollable(Instrument instrument) => KiteSegments.Problem(instrument.Key, needSymbol: true) is null;

    // The broker answers with the keys it was asked for; the supervisor polls one registry for life.
    private Dictionary<string, Instrument> KeysFor(InstrumentRegistry registry)
    {
        if (Volatile.Read(ref _byKey) is { } cached && ReferenceEquals(cached.Item1, registry))
        {
            return cached.Item2;
        }

        var map = new Dictionary<string, Instrument>(StringComparer.OrdinalIgnoreCase);
        foreach (var instrument in registry.All.Where(Pollable))
        {
            map.TryAdd(QuoteRequest.Key(instrument), instrument);
        }

        Volatile.Write(ref _byKey, Tuple.Create(registry, map));
        return map;
    }

    private async Task<JsonElement> SendAsync(FeedMode mode, ReadOnlyMemory<Instrument> batch, CancellationToken cancellationToken)
    {
        var credentials = ReadCredentials();
        using var message = new HttpRequestMessage(HttpMethod.Get, QuoteRequest.Url(_options.RestUrl, mode, batch.Span));
        var headers = message.Headers;
        headers.Authorization = new AuthenticationHeaderValue("token", $"{credentials.ApiKey}:{credentials.AccessToken}");
        headers.TryAddWithoutValidation("X-Kite-Version", "3");
        headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        return await RestCall.SendAsync(
            _http,
            message,
            "Kite quote request",
            _options.PollRequestTimeout,
            $"{KiteOptions.SectionName}:PollRequestTimeout",
            credentials.Redact,
            (response, body) => Interpret(response, body, credentials),
            _time,
            cancellationToken).ConfigureAwait(false);
    }

    private JsonElement Interpret(HttpResponseMessage response, byte[] body, KiteCredentials credentials)
    {
        var status = (int)response.StatusCode;
        var envelope = RestCall.TryParseObject(body);
        var errorType = envelope is { } e && e.TryGetProperty("error_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var brokerMessage = envelope is { } env ? Describe(env, errorType, credentials) : null;

        // Kite reports "Too many requests" as a NetworkException envelope with HTTP 429. The same
        // error type with a 5xx is its gateway failing upstream: an outage, not a rate limit, so it
        // is reported as the network error it is (and polling keeps its own pace).
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (errorType == "NetworkException" && status < 500))
        {
            throw RateLimited(response, status, brokerMessage);
        }

        if (response.StatusCode == HttpStatusCode.Forbidden || errorType == "TokenException")
        {
            throw new FeedConnectionException(
                DisconnectReason.AuthRejected,
                $"Kite rejected the api_key or access_token (HTTP {status}){(brokerMessage is null ? "." : ": " + brokerMessage)} Set fresh {KiteOptions.SectionName}:AccessToken.");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new FeedConnectionException(
                DisconnectReason.NetworkError,
                $"Kite quote request failed with HTTP {status}{(brokerMessage is null ? "." : ": " + brokerMessage)}");
        }

        if (envelope is not { } ok)
        {
            throw new FeedConnectionException(DisconnectReason.NetworkError, $"Kite quote response (HTTP {status}) was not the JSON envelope.");
        }

        if (!(ok.TryGetProperty("status", out var state) && state.ValueKind == JsonValueKind.String && state.GetString() == "success"))
        {
            throw new FeedConnectionException(DisconnectReason.NetworkError, $"Kite quote request was refused: {brokerMessage}");
        }

        return ok.TryGetProperty("data", out var data) ? data : default;
    }

    private FeedConnectionException RateLimited(HttpResponseMessage response, int status, string? brokerMessage)
    {
        var wait = _pacer.CoolDown(response.Headers.RetryAfter);
        Log.PollRateLimited(_logger, wait.TotalSeconds);
        return new FeedConnectionException(
            DisconnectReason.RateLimited,
            $"Kite quote endpoint is rate limiting (HTTP {status}{(brokerMessage is null ? "" : ": " + brokerMessage)}); no request for {RequestPacer.Seconds(wait)} s.",
            wait);
    }

    private KiteCredentials ReadCredentials() => CredentialsCallback.Read(
        _credentials,
        "Kite",
        c => c.ApiKey.Length > 0 && c.AccessToken.Length > 0,
        $"Kite quotes need {KiteOptions.SectionName}:ApiKey and {KiteOptions.SectionName}:AccessToken; at least one is empty.");

    private static string Describe(JsonElement envelope, string? errorType, KiteCredentials credentials)
    {
        var message = envelope.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
        var text = string.IsNullOrEmpty(errorType) ? message : $"{message} ({errorType})";
        return SourceText.Sanitize(text, credentials.Redact);
    }
}
