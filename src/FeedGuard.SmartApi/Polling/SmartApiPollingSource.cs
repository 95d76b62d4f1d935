using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;
using FeedGuard.Sources;
using FeedGuard.Sources.Rest;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedGuard.SmartApi.Polling;

/// <summary>
/// SmartAPI's REST quote endpoint as a FeedGuard polling source. One poll sends as many requests
/// as <see cref="SmartApiOptions.PollBatchSize"/> needs, paced by
/// <see cref="SmartApiOptions.PollRequestsPerSecond"/> across polls, and matches results by
/// <c>symbolToken</c>. After a rate-limit answer it sends nothing until the cooldown has passed.
/// </summary>
public sealed class SmartApiPollingSource : IPollingSource
{
    private static readonly HashSet<string> AuthErrorCodes = new(StringComparer.OrdinalIgnoreCase) { "AG8001", "AG8002", "AG8003", "AB1010" };

    private readonly SmartApiOptions _options;
    private readonly HttpClient _http;
    private readonly Func<SmartApiCredentials> _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Uri _endpoint;
    private readonly RequestPacer _pacer;
    private readonly BatchedPoll _poll;

    /// <summary>Creates the source.</summary>
    /// <param name="options">Validated here; throws <see cref="ArgumentException"/> naming each bad key.</param>
    /// <param name="httpClient">Owned by the host (handler, proxy, TLS policy); not disposed here.</param>
    /// <param name="credentials">Called on every request so a refreshed JWT takes effect. Default: the credentials in <paramref name="options"/>.</param>
    /// <param name="timeProvider">Clock for pacing and timeouts. Default <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Default <see cref="NullLoggerFactory.Instance"/>.</param>
    public SmartApiPollingSource(
        SmartApiOptions options,
        HttpClient httpClient,
        Func<SmartApiCredentials>? credentials = null,
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
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("FeedGuard.SmartApi.Poll");
        _endpoint = QuoteRequest.Endpoint(options.RestUrl);
        _pacer = new RequestPacer(options.PollRequestsPerSecond, options.RateLimitCooldown, "SmartAPI quote endpoint", _time);
        _poll = new BatchedPoll(_pacer);
    }

    /// <inheritdoc />
    public string Name => "smartapi-rest";

    /// <inheritdoc />
    public IReadOnlyList<string> Validate(StreamRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var unserved = SmartApiExchanges.Unserved(request.Instruments.All);
        return unserved.Count == 0 ? [] : [$"SmartAPI quotes do not cover exchange(s) {string.Join(", ", unserved)}; it serves {SmartApiExchanges.Served}."];
    }

    /// <inheritdoc />
    public TimeSpan MinimumPollDuration(StreamRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _poll.MinimumDuration(request.Instruments.Count, _options.PollBatchSize);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Rate limiting (HTTP 429, or 403 "exceeding access rate") and auth errors (HTTP 401, or
    /// envelope codes for an invalid or expired token) fail the whole poll. Any other failure fails
    /// the poll only when no batch succeeded; otherwise the failed batch's instruments are misses.
    /// </remarks>
    public async ValueTask<PollResult> PollAsync(StreamRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var instruments = request.Instruments.All.Where(i => SmartApiExchanges.TryToWire(i.Exchange, out _)).ToArray();
        var result = await _poll.PollAsync(
            request.Instruments.All,
            instruments,
            _options.PollBatchSize,
            async (batch, into, ct) =>
            {
                var data = await SendAsync(request.Mode, batch, ct).ConfigureAwait(false);
                QuoteResponseParser.Parse(data, request.Instruments, _time.GetUtcNow(), into.Ticks, into.Misses, into.Answered);
            },
            instrument => SmartApiExchanges.TryToWire(instrument.Exchange, out _)
                ? "not in the broker's quote response"
                : $"SmartAPI does not serve {instrument.Exchange.ToName()}",
            (batch, batches, ex) => Log.PollRequestFailed(_logger, batch, batches, ex.Reason, ex.Message),
            cancellationToken).ConfigureAwait(false);

        if (result.Unfetched.Count > 0)
        {
            Log.PollUnfetched(_logger, result.Ticks.Count, result.Unfetched.Count);
        }

        return result;
    }

    private async Task<JsonElement> SendAsync(FeedMode mode, ReadOnlyMemory<Instrument> batch, CancellationToken cancellationToken)
    {
        var credentials = ReadCredentials();
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        message.Content = new ByteArrayContent(QuoteRequest.Body(mode, batch.Span));
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var headers = message.Headers;
        headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.JwtToken);
        headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        headers.TryAddWithoutValidation("X-UserType", "USER");
        headers.TryAddWithoutValidation("X-SourceID", "WEB");
        headers.TryAddWithoutValidation("X-ClientLocalIP", _options.ClientLocalIp);
        headers.TryAddWithoutValidation("X-ClientPublicIP", _options.ClientPublicIp);
        headers.TryAddWithoutValidation("X-MACAddress", _options.MacAddress);
        headers.TryAddWithoutValidation("X-PrivateKey", credentials.ApiKey);

        return await RestCall.SendAsync(
            _http,
            message,
            "SmartAPI quote request",
            _options.PollRequestTimeout,
            $"{SmartApiOptions.SectionName}:PollRequestTimeout",
            credentials.Redact,
            (response, body) => Interpret(response, body, credentials),
            _time,
            cancellationToken).ConfigureAwait(false);
    }

    private JsonElement Interpret(HttpResponseMessage response, byte[] body, SmartApiCredentials credentials)
    {
        var status = (int)response.StatusCode;
        var envelope = RestCall.TryParseObject(body);
        var brokerMessage = envelope is { } e ? Describe(e, credentials) : null;

        if (response.StatusCode == HttpStatusCode.TooManyRequests || IsRateText(body, brokerMessage))
        {
            throw RateLimited(response, status);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized || (envelope is { } env && IsAuthError(env)))
        {
            throw new FeedConnectionException(
                DisconnectReason.AuthRejected,
                $"SmartAPI rejected the credentials (HTTP {status}){(brokerMessage is null ? "." : ": " + brokerMessage)}");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new FeedConnectionException(
                DisconnectReason.NetworkError,
                $"SmartAPI quote request failed with HTTP {status}{(brokerMessage is null ? "." : ": " + brokerMessage)}");
        }

        if (envelope is not { } ok)
        {
            throw new FeedConnectionException(DisconnectReason.NetworkError, $"SmartAPI quote response (HTTP {status}) was not the JSON envelope.");
        }

        if (!Succeeded(ok))
        {
            throw new FeedConnectionException(DisconnectReason.NetworkError, $"SmartAPI quote request was refused: {brokerMessage}");
        }

        return ok.TryGetProperty("data", out var data) ? data : default;
    }

    private FeedConnectionException RateLimited(HttpResponseMessage response, int status)
    {
        var wait = _pacer.CoolDown(response.Headers.RetryAfter);
        Log.PollRateLimited(_logger, wait.TotalSeconds);
        return new FeedConnectionException(
            DisconnectReason.RateLimited,
            $"SmartAPI quote endpoint is rate limiting (HTTP {status}); no request for {RequestPacer.Seconds(wait)} s.",
            wait);
    }

    private SmartApiCredentials ReadCredentials() => CredentialsCallback.Read(
        _credentials,
        "SmartAPI",
        c => c.JwtToken.Length > 0 && c.ApiKey.Length > 0,
        $"SmartAPI quotes need {SmartApiOptions.SectionName}:JwtToken and {SmartApiOptions.SectionName}:ApiKey; at least one is empty.");

    // DOC-SA's unfetched example uses success/errorCode; the SDKs check status/errorcode. Read both.
    private static bool Succeeded(JsonElement envelope) =>
        (envelope.TryGetProperty("status", out var status) || envelope.TryGetProperty("success", out status)) && status.ValueKind == JsonValueKind.True;

    private static string? ErrorCode(JsonElement envelope) =>
        (envelope.TryGetProperty("errorcode", out var code) || envelope.TryGetProperty("errorCode", out code)) && code.ValueKind == JsonValueKind.String
            ? code.GetString()
            : null;

    private static bool IsAuthError(JsonElement envelope)
    {
        if (Succeeded(envelope))
        {
            return false;
        }

        if (ErrorCode(envelope) is { } code && AuthErrorCodes.Contains(code))
        {
            return true;
        }

        var message = envelope.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
        return message.Contains("Invalid Token", StringComparison.OrdinalIgnoreCase) || message.Contains("Token Expired", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsRateText(byte[] body, string? brokerMessage) =>
        (brokerMessage ?? System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 512))).Contains("exceeding access rate", StringComparison.OrdinalIgnoreCase);

    private static string Describe(JsonElement envelope, SmartApiCredentials credentials)
    {
        var message = envelope.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
        var code = ErrorCode(envelope);
        var text = string.IsNullOrEmpty(code) ? message : $"{message} ({code})";
        return SourceText.Sanitize(text, credentials.Redact);
    }
}
