namespace FeedGuard.Emulator.SmartApi;

/// <summary>How strictly the SmartStream handshake checks credentials (protocols §4.1).</summary>
public enum SmartApiAuthMode
{
    /// <summary>All four values required and checked: Authorization (JWT, with or without <c>Bearer </c>), x-api-key, x-client-code, x-feed-token.</summary>
    Strict,

    /// <summary>Client code and feed token are enough (what the Java SDK sends); JWT and API key are ignored. REST skips its token check.</summary>
    Lenient,
}
