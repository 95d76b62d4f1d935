using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using FeedGuard.Sources;

namespace FeedGuard.SmartApi;

/// <summary>
/// Settings for the Angel One SmartAPI sources (configuration section <c>FeedGuard:SmartApi</c>).
/// Immutable; validated once when a source is built. Credential values never appear in
/// <see cref="ToString"/>, logs, exceptions or status.
/// </summary>
public sealed record SmartApiOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "FeedGuard:SmartApi";

    /// <summary>SmartStream WebSocket 2.0 URL. Default <c>wss://smartapisocket.angelone.in/smart-stream</c>.</summary>
    public Uri StreamUrl { get; init; } = new("wss://smartapisocket.angelone.in/smart-stream");

    /// <summary>REST root for the quote endpoint. Default <c>https://apiconnect.angelone.in</c>.</summary>
    public Uri RestUrl { get; init; } = new("https://apiconnect.angelone.in");

    /// <summary>SmartAPI app key. Used when no credentials callback is given to the source.</summary>
    [JsonIgnore]
    public string ApiKey { get; init; } = "";

    /// <summary>Angel One client code. Used when no credentials callback is given to the source.</summary>
    [JsonIgnore]
    public string ClientCode { get; init; } = "";

    /// <summary>Session JWT. Used when no credentials callback is given to the source.</summary>
    [JsonIgnore]
    public string JwtToken { get; init; } = "";

    /// <summary>Feed token. Used when no credentials callback is given to the source.</summary>
    [JsonIgnore]
    public string FeedToken { get; init; } = "";

    /// <summary>
    /// Prefix the stream's <c>Authorization</c> header with <c>Bearer </c>. Default false: the
    /// official Python and JavaScript SDKs send the raw JWT, and a forum report ties the
    /// <c>Bearer</c> form to intermittent 401s. REST always uses <c>Bearer</c>.
    /// </summary>
    public bool StreamBearerPrefix { get; init; }

    /// <summary>How often the text heartbeat <c>ping</c> is sent on each socket. Default 10 s (the SDKs' value).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A socket that receives no frame of any kind (tick, <c>pong</c>, error) for this long is dead
    /// and ends with <c>NoPong</c>. Default 10 s.
    /// </summary>
    public TimeSpan PongTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The runtime's WebSocket control-frame PING (<c>ClientWebSocketOptions.KeepAliveInterval</c>); zero
    /// turns it off. Default off: the text <c>ping</c> every <see cref="PingInterval"/> with its
    /// <see cref="PongTimeout"/> already finds a dead or half-open socket sooner, and with a timeout the
    /// runtime takes a lock and reads the clock on every received frame (0.1-0.25 µs a message in the
    /// loopback benchmark on 2 cores).
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.Zero;

    /// <summary>How long a control PING may go unanswered before the socket aborts (<c>ClientWebSocketOptions.KeepAliveTimeout</c>), when <see cref="KeepAliveInterval"/> is on. Default 10 s.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Token+mode subscriptions per socket (the broker's limit is 1000). Default 1000.</summary>
    public int MaxTokensPerSocket { get; init; } = 1000;

    /// <summary>Concurrent sockets per client code (the broker's limit is 3). Default 3.</summary>
    public int MaxSockets { get; init; } = 3;

    /// <summary>Time allowed for one socket's upgrade handshake and subscribe. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// REST quote requests per second, across all polls of a source: each request starts at least
    /// 1 / this after the previous one's answer, so the broker never counts two within its window
    /// however late a request reaches it. Default 1 (the documented limit).
    /// </summary>
    public double PollRequestsPerSecond { get; init; } = 1;

    /// <summary>Tokens per REST quote request (the broker's limit is 50). Default 50.</summary>
    public int PollBatchSize { get; init; } = 50;

    /// <summary>Time allowed for one REST quote request. Default 10 s; a timeout is a network error.</summary>
    public TimeSpan PollRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest back-off of quote polling after rate-limit answers that name no Retry-After. The first
    /// such answer in a row waits two request spacings (2 s at one request a second), each further one
    /// twice as long, up to this; an answered request ends the run. Default 60 s.
    /// </summary>
    public TimeSpan RateLimitCooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Value of the REST <c>X-ClientLocalIP</c> header the SDKs send. Default <c>127.0.0.1</c>.</summary>
    public string ClientLocalIp { get; init; } = "127.0.0.1";

    /// <summary>Value of the REST <c>X-ClientPublicIP</c> header. Default <c>127.0.0.1</c>.</summary>
    public string ClientPublicIp { get; init; } = "127.0.0.1";

    /// <summary>Value of the REST <c>X-MACAddress</c> header. Default <c>00:00:00:00:00:00</c>.</summary>
    public string MacAddress { get; init; } = "00:00:00:00:00:00";

    /// <summary>The credentials held in these options.</summary>
    public SmartApiCredentials Credentials => new() { ApiKey = ApiKey, ClientCode = ClientCode, JwtToken = JwtToken, FeedToken = FeedToken };

    /// <summary>Every problem with these options, each naming its configuration key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new OptionProblems(SectionName);
        problems.Url(nameof(StreamUrl), StreamUrl, StreamUrl.ToString(), "ws", "wss");
        problems.Url(nameof(RestUrl), RestUrl, RestUrl.ToString(), Uri.UriSchemeHttp, Uri.UriSchemeHttps);
        problems.Positive(nameof(PingInterval), PingInterval);
        problems.Positive(nameof(PongTimeout), PongTimeout);
        problems.Positive(nameof(ConnectTimeout), ConnectTimeout);
        problems.Positive(nameof(PollRequestTimeout), PollRequestTimeout);
        problems.Positive(nameof(RateLimitCooldown), RateLimitCooldown);
        problems.KeepAlive(nameof(KeepAliveInterval), KeepAliveInterval, nameof(KeepAliveTimeout), KeepAliveTimeout);
        problems.Range(nameof(MaxTokensPerSocket), MaxTokensPerSocket, 1, 1000);
        problems.Range(nameof(MaxSockets), MaxSockets, 1, 3);
        problems.Range(nameof(PollBatchSize), PollBatchSize, 1, 50);
        problems.PositiveRate(nameof(PollRequestsPerSecond), PollRequestsPerSecond);
        return problems.All;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem when the options are invalid.</summary>
    public void EnsureValid() => OptionProblems.ThrowIfAny(Validate(), "Invalid SmartAPI options: ");

    // Records print every property by default; credentials must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"StreamUrl = {StreamUrl}, RestUrl = {RestUrl}, ")
            .Append(CultureInfo.InvariantCulture, $"ApiKey = {SmartApiCredentials.Mask(ApiKey)}, ClientCode = {SmartApiCredentials.Mask(ClientCode)}, ")
            .Append(CultureInfo.InvariantCulture, $"JwtToken = {SmartApiCredentials.Mask(JwtToken)}, FeedToken = {SmartApiCredentials.Mask(FeedToken)}, ")
            .Append(CultureInfo.InvariantCulture, $"StreamBearerPrefix = {StreamBearerPrefix}, PingInterval = {PingInterval}, PongTimeout = {PongTimeout}, ")
            .Append(CultureInfo.InvariantCulture, $"KeepAliveInterval = {KeepAliveInterval}, KeepAliveTimeout = {KeepAliveTimeout}, ")
            .Append(CultureInfo.InvariantCulture, $"MaxTokensPerSocket = {MaxTokensPerSocket}, MaxSockets = {MaxSockets}, ConnectTimeout = {ConnectTimeout}, ")
            .Append(CultureInfo.InvariantCulture, $"PollRequestsPerSecond = {PollRequestsPerSecond}, PollBatchSize = {PollBatchSize}, ")
            .Append(CultureInfo.InvariantCulture, $"PollRequestTimeout = {PollRequestTimeout}, RateLimitCooldown = {RateLimitCooldown}, ")
            .Append(CultureInfo.InvariantCulture, $"ClientLocalIp = {ClientLocalIp}, ClientPublicIp = {ClientPublicIp}, MacAddress = {MacAddress}");
        return true;
    }
}
