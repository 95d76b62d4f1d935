using System.Text;
using System.Text.Json.Serialization;

namespace FeedGuard.Hosting.Options;

/// <summary>
/// Zerodha Kite settings (<c>FeedGuard:Kite:*</c>), bound now so configuration written today keeps
/// working when the Kite package lands. Credentials never appear in <see cref="ToString"/>.
/// </summary>
public sealed record KiteSettings
{
    /// <summary>Kite ticker WebSocket URL. Default <c>wss://ws.kite.trade</c>.</summary>
    public Uri StreamUrl { get; init; } = new("wss://ws.kite.trade");

    /// <summary>Kite REST root. Default <c>https://api.kite.trade</c>.</summary>
    public Uri RestUrl { get; init; } = new("https://api.kite.trade");

    /// <summary>Kite Connect API key.</summary>
    [JsonIgnore]
    public string ApiKey { get; init; } = "";

    /// <summary>Kite Connect access token of the day.</summary>
    [JsonIgnore]
    public string AccessToken { get; init; } = "";

    // Records print every property by default; credentials must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("StreamUrl = ").Append(StreamUrl).Append(", RestUrl = ").Append(RestUrl)
            .Append(", ApiKey = ").Append(ApiKey.Length == 0 ? "(empty)" : "***")
            .Append(", AccessToken = ").Append(AccessToken.Length == 0 ? "(empty)" : "***");
        return true;
    }
}
