using FeedGuard.Sources;

namespace FeedGuard.Testing;

/// <summary>What one scripted connect attempt does.</summary>
public enum ConnectOutcomeKind
{
    /// <summary>Connects and subscribes.</summary>
    Succeed,

    /// <summary>Fails with a classified reason.</summary>
    Fail,

    /// <summary>Never answers until cancelled (the connect timeout or a stop).</summary>
    Hang,
}

/// <summary>A scripted connect outcome.</summary>
/// <param name="Kind">Succeed, fail or hang.</param>
/// <param name="Reason">The failure class, for <see cref="ConnectOutcomeKind.Fail"/>.</param>
/// <param name="Message">The failure message.</param>
/// <param name="RetryAfter">A Retry-After the broker sent, if any.</param>
public sealed record ConnectOutcome(ConnectOutcomeKind Kind, DisconnectReason Reason = DisconnectReason.None, string Message = "", TimeSpan? RetryAfter = null)
{
    /// <summary>Connects.</summary>
    public static ConnectOutcome Succeed { get; } = new(ConnectOutcomeKind.Succeed);

    /// <summary>Never answers.</summary>
    public static ConnectOutcome Hang { get; } = new(ConnectOutcomeKind.Hang);

    /// <summary>Fails with <paramref name="reason"/>.</summary>
    public static ConnectOutcome Fail(DisconnectReason reason, string message = "scripted failure", TimeSpan? retryAfter = null) =>
        new(ConnectOutcomeKind.Fail, reason, message, retryAfter);
}
