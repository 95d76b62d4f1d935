using System.Text;
using System.Text.Json.Serialization;
using FeedGuard.Sources;

namespace FeedGuard.SmartApi;

/// <summary>
/// The four SmartAPI login values. Read again on every connect and every poll, so a refreshed JWT
/// or feed token takes effect without rebuilding the feed. <see cref="ToString"/> never prints them.
/// </summary>
public sealed record SmartApiCredentials
{
    /// <summary>The SmartAPI app key (<c>x-api-key</c> on the stream, <c>X-PrivateKey</c> on REST).</summary>
    [JsonIgnore]
    public string ApiKey { get; init; } = "";

    /// <summary>The Angel One client code (trading account id), <c>x-client-code</c>.</summary>
    [JsonIgnore]
    public string ClientCode { get; init; } = "";

    /// <summary>The session JWT from login (<c>data.jwtToken</c>).</summary>
    [JsonIgnore]
    public string JwtToken { get; init; } = "";

    /// <summary>The feed token from login (<c>data.feedToken</c>), <c>x-feed-token</c>.</summary>
    [JsonIgnore]
    public string FeedToken { get; init; } = "";

    /// <summary>Replaces any credential value inside server-provided text with <c>***</c>.</summary>
    internal string Redact(string text) => Secrets.Redact(text, ApiKey, ClientCode, JwtToken, FeedToken);

    // Records print every property by default; credentials must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ApiKey = ").Append(Mask(ApiKey))
            .Append(", ClientCode = ").Append(Mask(ClientCode))
            .Append(", JwtToken = ").Append(Mask(JwtToken))
            .Append(", FeedToken = ").Append(Mask(FeedToken));
        return true;
    }

    internal static string Mask(string value) => Secrets.Mask(value);
}
