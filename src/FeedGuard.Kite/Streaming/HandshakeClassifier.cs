using System.Net;
using FeedGuard.Sources;
using FeedGuard.Sources.Sockets;

namespace FeedGuard.Kite.Streaming;

/// <summary>
/// Turns a failed ticker upgrade into a classified failure (protocols §2.1): HTTP 403 means the
/// api_key or access_token is invalid or expired (a <c>TokenException</c>; retrying cannot help);
/// HTTP 429 means a fourth socket for this api_key, or rate limiting; anything else is a network
/// error. The runtime's exception is described, sanitised, in the message rather than attached:
/// its text could quote the URL, whose query holds the credentials.
/// </summary>
internal static class HandshakeClassifier
{
    public static FeedConnectionException Classify(
        HttpStatusCode status,
        IReadOnlyDictionary<string, IEnumerable<string>>? headers,
        Exception cause,
        KiteCredentials credentials,
        DateTimeOffset now)
    {
        return status switch
        {
            HttpStatusCode.Forbidden => new FeedConnectionException(
                DisconnectReason.AuthRejected,
                $"Kite ticker rejected the api_key or access_token (HTTP 403, TokenException); set fresh {KiteOptions.SectionName}:AccessToken."),
            HttpStatusCode.TooManyRequests => new FeedConnectionException(
                DisconnectReason.RateLimited,
                "Kite ticker refused the socket (HTTP 429): more than 3 ticker sockets for this api_key, or rate limited.",
                RetryAfterHeader.Parse(WebSocketUpgrade.Header(headers, "Retry-After"), now)),
            0 => new FeedConnectionException(DisconnectReason.NetworkError, $"Kite ticker connect failed: {Describe(cause, credentials)}"),
            _ => new FeedConnectionException(DisconnectReason.NetworkError, $"Kite ticker refused the upgrade with HTTP {(int)status}."),
        };
    }

    /// <summary>The exception's type and message (and its inner one's), with credentials and URL queries blanked and the length bounded.</summary>
    public static string Describe(Exception ex, KiteCredentials credentials)
    {
        var text = ex.InnerException is null
            ? $"{ex.GetType().Name}: {ex.Message}"
            : $"{ex.GetType().Name}: {ex.Message} ({ex.InnerException.GetType().Name}: {ex.InnerException.Message})";
        return SourceText.Sanitize(text, credentials.Redact, 300);
    }
}
