namespace FeedGuard.Sources;

/// <summary>How a streaming connection ended.</summary>
/// <param name="Reason">The failure class.</param>
/// <param name="Message">Operator-readable detail, free of credentials.</param>
/// <param name="RetryAfter">How long the broker asked us to wait, when it said.</param>
public readonly record struct StreamDisconnect(DisconnectReason Reason, string Message, TimeSpan? RetryAfter = null);
