namespace FeedGuard.Emulator.SmartApi;

/// <summary>The SmartAPI side of the emulator. The default credentials are demo values, not secrets.</summary>
public sealed record SmartApiEmulatorOptions
{
    /// <summary>Handshake strictness. Default <see cref="SmartApiAuthMode.Strict"/>.</summary>
    public SmartApiAuthMode AuthMode { get; init; } = SmartApiAuthMode.Strict;

    /// <summary>The valid API key (<c>x-api-key</c>). Default <c>emulator-api-key</c>.</summary>
    public string ApiKey { get; init; } = "emulator-api-key";

    /// <summary>The valid client code (<c>x-client-code</c>). Default <c>EMU001</c>.</summary>
    public string ClientCode { get; init; } = "EMU001";

    /// <summary>The valid JWT (<c>Authorization</c>, raw or <c>Bearer </c>-prefixed). Default <c>emulator-jwt</c>.</summary>
    public string JwtToken { get; init; } = "emulator-jwt";

    /// <summary>The valid feed token (<c>x-feed-token</c>). Default <c>emulator-feed-token</c>.</summary>
    public string FeedToken { get; init; } = "emulator-feed-token";

    /// <summary>Concurrent sockets allowed per client code; one more gets HTTP 429. Default 3.</summary>
    public int MaxSocketsPerClientCode { get; init; } = 3;

    /// <summary>Token+mode subscriptions allowed per socket; more gets E1002. Default 1000.</summary>
    public int MaxSubscriptionsPerSocket { get; init; } = 1000;

    /// <summary>Tokens allowed per REST quote request. Default 50.</summary>
    public int MaxTokensPerQuoteRequest { get; init; } = 50;

    /// <summary>REST quote requests per second before HTTP 403 "exceeding access rate"; 0 = unlimited. Default 1.</summary>
    public double QuoteRequestsPerSecond { get; init; } = 1;

    /// <summary>REST getLtpData requests per second before HTTP 403; 0 = unlimited. Default 10.</summary>
    public double LtpDataRequestsPerSecond { get; init; } = 10;

    internal void Validate()
    {
        if (!Enum.IsDefined(AuthMode))
        {
            throw new ArgumentException($"SmartApi.AuthMode {(int)AuthMode} is not Strict or Lenient.", nameof(AuthMode));
        }

        foreach (var (name, value) in new[] { (nameof(ApiKey), ApiKey), (nameof(ClientCode), ClientCode), (nameof(JwtToken), JwtToken), (nameof(FeedToken), FeedToken) })
        {
            if (string.IsNullOrEmpty(value))
            {
                throw new ArgumentException($"SmartApi.{name} must not be empty.", name);
            }
        }

        if (MaxSocketsPerClientCode < 1 || MaxSubscriptionsPerSocket < 1 || MaxTokensPerQuoteRequest < 1)
        {
            throw new ArgumentException("SmartApi.MaxSocketsPerClientCode, MaxSubscriptionsPerSocket and MaxTokensPerQuoteRequest must be at least 1.");
        }

        if (QuoteRequestsPerSecond < 0 || LtpDataRequestsPerSecond < 0 || double.IsNaN(QuoteRequestsPerSecond) || double.IsNaN(LtpDataRequestsPerSecond))
        {
            throw new ArgumentException("SmartApi.QuoteRequestsPerSecond and LtpDataRequestsPerSecond must be 0 (unlimited) or positive.");
        }
    }
}
