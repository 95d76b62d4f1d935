using System.Text.Json.Serialization;

namespace FeedGuard.Sources;

/// <summary>Why a connection ended or a request failed. Each class gets its own recovery.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DisconnectReason>))]
public enum DisconnectReason : byte
{
    /// <summary>No failure.</summary>
    [JsonStringEnumMemberName("none")]
    None = 0,

    /// <summary>The server closed the connection (close frame or orderly shutdown).</summary>
    [JsonStringEnumMemberName("closed_by_server")]
    ClosedByServer = 1,

    /// <summary>The transport failed: refused, reset, DNS, TLS, timeout while connecting.</summary>
    [JsonStringEnumMemberName("network_error")]
    NetworkError = 2,

    /// <summary>The broker rejected the credentials. Retrying cannot help until they change.</summary>
    [JsonStringEnumMemberName("auth_rejected")]
    AuthRejected = 3,

    /// <summary>The broker is rate limiting us (HTTP 429 or its 403 variant). Wait long before retrying.</summary>
    [JsonStringEnumMemberName("rate_limited")]
    RateLimited = 4,

    /// <summary>The connection is open but delivers nothing: no frame, or no tick while the session is open.</summary>
    [JsonStringEnumMemberName("no_data")]
    NoData = 5,

    /// <summary>The transport heartbeat (ping/pong) went unanswered.</summary>
    [JsonStringEnumMemberName("no_pong")]
    NoPong = 6,

    /// <summary>Too many frames could not be decoded.</summary>
    [JsonStringEnumMemberName("malformed_stream")]
    MalformedStream = 7,
}
