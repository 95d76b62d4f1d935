using System.Net;
using FeedGuard.Sources;

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
                var reason = Header(headers, ErrorMessageHeader);
                var message = reason is null
                    ? "SmartStream rejected the credentials (HTTP 401)."
                    : $"SmartStream rejected the credentials (HTTP 401): {Sanitize(reason, credentials)}";
                return new FeedConnectionException(DisconnectReason.AuthRejected, message, null, cause);

            case HttpStatusCode.TooManyRequests:
                return new FeedConnectionException(
                    DisconnectReason.RateLimited,
                    "SmartStream refused the socket (HTTP 429): more than 3 concurrent sockets for this client code, or rate limited.",
                    RetryAfterHeader.Parse(Header(headers, "Retry-After"), now),
                    cause);

            case 0:
                return new FeedConnectionException(DisconnectReason.NetworkError, $"SmartStream connect failed: {cause.GetType().Name}: {Sanitize(cause.Message, credentials)}", null, cause);

            default:
                return new FeedConnectionException(DisconnectReason.NetworkError, $"SmartStream refused the upgrade with HTTP {(int)status}.", null, cause);
        }
    }

    private static string? Header(IReadOnlyDictionary<string, IEnumerable<string>>? headers, string name)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (var (key, values) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    // Server text goes into status and logs: bound it and make sure it cannot echo a credential.
    private static string Sanitize(string text, SmartApiCredentials credentials)
    {
        text = credentials.Redact(text);
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
