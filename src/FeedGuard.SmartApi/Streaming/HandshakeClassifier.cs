using System.Net;
using FeedGuard.Sources;
using FeedGuard.Sources.Sockets;

namespace FeedGuard.SmartApi.Streaming;

/// <summary>
/// Turns a failed SmartStream upgrade into a classified failure (protocols §1.2): HTTP 401 is an
/// auth rejection carrying the server's <c>x-error-message</c>; HTTP 429 (a fourth socket per client
/// code) is rate limiting; anything else is a network error.
/// </summary>
internal static class HandshakeClassifier
{
    /// <summary>The header in which SmartStream says why it refused the credentials.</summary>
    public const string ErrorMessageHeader = "x-error-message";

    public static FeedConnectionException Classify(
        HttpStatusCode status,
        IReadOnlyDictionary<string, IEnumerable<string>>? headers,
        Exception cause,
        SmartApiCredentials credentials,
        DateTimeOffset now)
    {
        switch (status)
        {
            case HttpStatusCode.Unauthorized:
                var reason = WebSocketUpgrade.Header(headers, ErrorMessageHeader);
                var message = reason is null
                    ? "SmartStream rejected the credentials (HTTP 401)."
                    : $"SmartStream rejected the credentials (HTTP 401): {SourceText.Sanitize(reason, credentials.Redact)}";
                return new FeedConnectionException(DisconnectReason.AuthRejected, message, null, cause);

            case HttpStatusCode.TooManyRequests:
                return new FeedConnectionException(
                    DisconnectReason.RateLimited,
                    "SmartStream refused the socket (HTTP 429): more than 3 concurrent sockets for this client code, or rate limited.",
                    RetryAfterHeader.Parse(WebSocketUpgrade.Header(headers, "Retry-After"), now),
                    cause);

            case 0:
                return new FeedConnectionException(DisconnectReason.NetworkError, $"SmartStream connect failed: {cause.GetType().Name}: {SourceText.Sanitize(cause.Message, credentials.Redact)}", null, cause);

            default:
                return new FeedConnectionException(DisconnectReason.NetworkError, $"SmartStream refused the upgrade with HTTP {(int)status}.", null, cause);
        }
    }
}
