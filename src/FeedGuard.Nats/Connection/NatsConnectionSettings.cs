using System.Text;
using System.Text.Json.Serialization;

namespace FeedGuard.Nats.Connection;

/// <summary>
/// Where the NATS server is and how to authenticate, shared by the publisher and the consumer.
/// Credentials never appear in <see cref="ToString"/>, logs or status.
/// </summary>
public sealed record NatsConnectionSettings
{
    /// <summary>Server URL (<c>nats://</c> or <c>tls://</c>). Default <c>nats://127.0.0.1:4222</c>.</summary>
    public Uri Url { get; init; } = new("nats://127.0.0.1:4222");

    /// <summary>A <c>.creds</c> file (JWT + NKey seed) for decentralised auth; null for none.</summary>
    public string? CredsFile { get; init; }

    /// <summary>User name for user/password auth; null for none.</summary>
    public string? User { get; init; }

    /// <summary>Password for user/password auth.</summary>
    [JsonIgnore]
    public string? Password { get; init; }

    /// <summary>Token auth; null for none.</summary>
    [JsonIgnore]
    public string? Token { get; init; }

    /// <summary>Require TLS even for a <c>nats://</c> URL. Default false (a <c>tls://</c> URL always uses TLS).</summary>
    public bool RequireTls { get; init; }

    /// <summary>A CA certificate file (PEM) to trust for the server's certificate; null for the system store.</summary>
    public string? TlsCaFile { get; init; }

    /// <summary>The URL without any user information, for logs and status.</summary>
    public string DisplayUrl => new UriBuilder(Url) { UserName = "", Password = "" }.Uri.GetLeftPart(UriPartial.Authority);

    /// <summary>Every problem, each naming its key under <paramref name="prefix"/> (e.g. <c>FeedGuard:Nats:</c>).</summary>
    public IEnumerable<string> Validate(string prefix = "")
    {
        if (Url is null || !Url.IsAbsoluteUri || Url.Scheme is not ("nats" or "tls"))
        {
            // Never echo a URL that may carry a password.
            var shown = Url?.OriginalString is { } text && !text.Contains('@', StringComparison.Ordinal) ? text : "(hidden: it holds credentials)";
            yield return $"{prefix}Url must be an absolute nats:// or tls:// URL (got '{shown}').";
        }
        else if (Url.UserInfo.Length > 0)
        {
            yield return $"{prefix}Url must not carry credentials; set {prefix}User and {prefix}Password (or {prefix}Token) instead.";
        }

        var methods = (CredsFile is null ? 0 : 1) + (User is null ? 0 : 1) + (Token is null ? 0 : 1);
        if (methods > 1)
        {
            yield return $"{prefix}CredsFile, {prefix}User and {prefix}Token are alternatives; set one.";
        }

        if (User is not null && string.IsNullOrEmpty(Password))
        {
            yield return $"{prefix}Password must be set when {prefix}User is.";
        }

        if (User is null && Password is not null)
        {
            yield return $"{prefix}User must be set when {prefix}Password is.";
        }

        if (CredsFile is not null && !File.Exists(CredsFile))
        {
            yield return $"{prefix}CredsFile '{CredsFile}' does not exist.";
        }

        if (TlsCaFile is not null && !File.Exists(TlsCaFile))
        {
            yield return $"{prefix}TlsCaFile '{TlsCaFile}' does not exist.";
        }
    }

    // Records print every property by default; credentials must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Url = ").Append(DisplayUrl)
            .Append(", CredsFile = ").Append(CredsFile ?? "(none)")
            .Append(", User = ").Append(User ?? "(none)")
            .Append(", Password = ").Append(Password is null ? "(none)" : "***")
            .Append(", Token = ").Append(Token is null ? "(none)" : "***")
            .Append(", RequireTls = ").Append(RequireTls)
            .Append(", TlsCaFile = ").Append(TlsCaFile ?? "(none)");
        return true;
    }
}
