using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using FeedGuard.Sources;

namespace FeedGuard.Kite;

/// <summary>
/// Settings for the Zerodha Kite Connect sources (configuration section <c>FeedGuard:Kite</c>).
/// Immutable; validated once when a source is built. Credential values never appear in
/// <see cref="ToString"/>, JSON, logs, exceptions or status, and URLs are printed without their
/// query string.
/// </summary>
public sealed record KiteOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "FeedGuard:Kite";

    /// <summary>The broker's limit on instruments per ticker socket.</summary>
    public const int BrokerInstrumentsPerSocket = 3000;

    /// <summary>The broker's limit on ticker sockets per api_key.</summary>
    public const int BrokerSockets = 3;

    /// <summary>Ticker WebSocket URL; <c>api_key</c> and <c>access_token</c> are added as query parameters. Default <c>wss://ws.kite.trade</c>.</summary>
    public Uri StreamUrl { get; init; } = new("wss://ws.kite.trade");

    /// <summary>REST root for the quote endpoints. Default <c>https://api.kite.trade</c>.</summary>
    public Uri RestUrl { get; init; } = new("https://api.kite.trade");

    /// <summary>Kite Connect api_key. Used when no credentials callback is given to the source.</summary>
    [JsonIgnore]
    public string ApiKey { get; init; } = "";

    /// <summary>Kite Connect access_token. Used when no credentials callback is given to the source.</summary>
    [JsonIgnore]
    public string AccessToken { get; init; } = "";

    /// <summary>
    /// A socket that receives no frame of any kind (tick, 1-byte heartbeat, text) for this long is
    /// dead and ends with <c>NoData</c>. The ticker sends a heartbeat every second or two when idle,
    /// so silence is never normal. Default 5 s (the Go and JavaScript SDKs' value).
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The runtime's WebSocket control-frame PING (<c>ClientWebSocketOptions.KeepAliveInterval</c>); zero
    /// turns it off. Default off: the ticker's own heartbeat and <see cref="HeartbeatTimeout"/> already
    /// find a dead or half-open socket within seconds, and with a timeout the runtime takes a lock and
    /// reads the clock on every received frame.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.Zero;

    /// <summary>How long a control PING may go unanswered before the socket aborts (<c>ClientWebSocketOptions.KeepAliveTimeout</c>), when <see cref="KeepAliveInterval"/> is on. Default 10 s.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Instruments per ticker socket (the broker's limit is 3000). Default 3000.</summary>
    public int MaxInstrumentsPerSocket { get; init; } = BrokerInstrumentsPerSocket;

    /// <summary>Concurrent ticker sockets per api_key (the broker's limit is 3). Default 3.</summary>
    public int MaxSockets { get; init; } = BrokerSockets;

    /// <summary>Time allowed for one socket's upgrade handshake and subscribe. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// REST quote requests per second, across all polls of a source: each request starts at least
    /// 1 / this after the previous one's answer, so the broker never counts two within its window
    /// however late a request reaches it. Default 1 (the documented quote limit).
    /// </summary>
    public double PollRequestsPerSecond { get; init; } = 1;

    /// <summary>Instruments per <c>/quote/ltp</c> request (the broker's limit is 1000). Default 1000.</summary>
    public int PollLtpBatchSize { get; init; } = 1000;

    /// <summary>Instruments per full <c>/quote</c> request (the broker's limit is 500). Default 500.</summary>
    public int PollQuoteBatchSize { get; init; } = 500;

    /// <summary>Time allowed for one REST quote request. Default 10 s; a timeout is a network error.</summary>
    public TimeSpan PollRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest back-off of quote polling after rate-limit answers that name no Retry-After. The first
    /// such answer in a row waits two request spacings (2 s at one request a second), each further one
    /// twice as long, up to this; an answered request ends the run. Default 60 s.
    /// </summary>
    public TimeSpan RateLimitCooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The credentials held in these options.</summary>
    public KiteCredentials Credentials => new() { ApiKey = ApiKey, AccessToken = AccessToken };

    /// <summary>Every problem with these options, each naming its configuration key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new OptionProblems(SectionName);
        if (problems.Url(nameof(StreamUrl), StreamUrl, KiteRedaction.Url(StreamUrl), "ws", "wss") && KiteRedaction.HasCredentialParameter(StreamUrl))
        {
            problems.Add(nameof(StreamUrl), $"must not carry api_key or access_token in its query; set {SectionName}:ApiKey and :AccessToken instead.");
        }

        problems.Url(nameof(RestUrl), RestUrl, KiteRedaction.Url(RestUrl), Uri.UriSchemeHttp, Uri.UriSchemeHttps);
        problems.Positive(nameof(HeartbeatTimeout), HeartbeatTimeout);
        problems.Positive(nameof(ConnectTimeout), ConnectTimeout);
        problems.Positive(nameof(PollRequestTimeout), PollRequestTimeout);
        problems.Positive(nameof(RateLimitCooldown), RateLimitCooldown);
        problems.KeepAlive(nameof(KeepAliveInterval), KeepAliveInterval, nameof(KeepAliveTimeout), KeepAliveTimeout);
        problems.Range(nameof(MaxInstrumentsPerSocket), MaxInstrumentsPerSocket, 1, BrokerInstrumentsPerSocket);
        problems.Range(nameof(MaxSockets), MaxSockets, 1, BrokerSockets);
        problems.Range(nameof(PollLtpBatchSize), PollLtpBatchSize, 1, 1000);
        problems.Range(nameof(PollQuoteBatchSize), PollQuoteBatchSize, 1, 500);
        problems.PositiveRate(nameof(PollRequestsPerSecond), PollRequestsPerSecond);
        return problems.All;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem when the options are invalid.</summary>
    public void EnsureValid() => OptionProblems.ThrowIfAny(Validate(), "Invalid Kite options: ");

    // Records print every property by default; credentials must never reach a log line, and a URL
    // someone configured with credentials in its query must not either.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"StreamUrl = {KiteRedaction.Url(StreamUrl)}, RestUrl = {KiteRedaction.Url(RestUrl)}, ")
            .Append(CultureInfo.InvariantCulture, $"ApiKey = {KiteCredentials.Mask(ApiKey)}, AccessToken = {KiteCredentials.Mask(AccessToken)}, ")
            .Append(CultureInfo.InvariantCulture, $"HeartbeatTimeout = {HeartbeatTimeout}, KeepAliveInterval = {KeepAliveInterval}, KeepAliveTimeout = {KeepAliveTimeout}, ")
            .Append(CultureInfo.InvariantCulture, $"MaxInstrumentsPerSocket = {MaxInstrumentsPerSocket}, MaxSockets = {MaxSockets}, ConnectTimeout = {ConnectTimeout}, ")
            .Append(CultureInfo.InvariantCulture, $"PollRequestsPerSecond = {PollRequestsPerSecond}, PollLtpBatchSize = {PollLtpBatchSize}, PollQuoteBatchSize = {PollQuoteBatchSize}, ")
            .Append(CultureInfo.InvariantCulture, $"PollRequestTimeout = {PollRequestTimeout}, RateLimitCooldown = {RateLimitCooldown}");
        return true;
    }
}
