using System.Text;
using System.Text.Json.Serialization;
using FeedGuard.Sources;

namespace FeedGuard.Kite;

/// <summary>
/// The two Kite Connect values a session needs. Read again on every connect and every poll, so a
/// refreshed access token (they expire daily) takes effect without rebuilding the feed.
/// <see cref="ToString"/> never prints them.
/// </summary>
public sealed record KiteCredentials
{
    /// <summary>The Kite Connect app's api_key.</summary>
    [JsonIgnore]
    public string ApiKey { get; init; } = "";

    /// <summary>The session's access_token from the login flow.</summary>
    [JsonIgnore]
    public string AccessToken { get; init; } = "";

    /// <summary>Replaces any credential value inside server- or runtime-provided text with <c>***</c>.</summary>
    internal string Redact(string text) => KiteRedaction.RedactQueries(Secrets.Redact(text, AccessToken, ApiKey));

    // Records print every property by default; credentials must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ApiKey = ").Append(Mask(ApiKey)).Append(", AccessToken = ").Append(Mask(AccessToken));
        return true;
    }

    internal static string Mask(string value) => Secrets.Mask(value);
}
