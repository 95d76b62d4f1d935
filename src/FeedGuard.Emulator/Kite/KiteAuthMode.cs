namespace FeedGuard.Emulator.Kite;

/// <summary>How strictly the Kite endpoints check credentials.</summary>
public enum KiteAuthMode
{
    /// <summary>The ticker's <c>api_key</c> and <c>access_token</c> query parameters and REST's <c>Authorization: token api_key:access_token</c> must match the configured values.</summary>
    Strict,

    /// <summary>Any non-empty <c>api_key</c> and <c>access_token</c> pass (for a client holding yesterday's token); REST skips its token check. The socket limit still counts per <c>api_key</c>.</summary>
    Lenient,
}
