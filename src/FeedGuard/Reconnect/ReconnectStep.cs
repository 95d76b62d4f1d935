namespace FeedGuard.Reconnect;

/// <summary>What kind of wait precedes the next attempt.</summary>
public enum ReconnectStepKind
{
    /// <summary>No further attempt: the credentials were rejected.</summary>
    Stop = 0,

    /// <summary>An exponential backoff inside a round.</summary>
    Backoff = 1,

    /// <summary>The pause between rounds; the next attempt starts a new round.</summary>
    Cooldown = 2,

    /// <summary>The long pause after the broker rate limited us; the next attempt starts a new round.</summary>
    RateLimitCooldown = 3,
}

/// <summary>The next reconnect attempt: how long to wait and which attempt of the round it is.</summary>
/// <param name="Kind">Backoff, cooldown, rate-limit cooldown, or stop.</param>
/// <param name="Delay">How long to wait before the attempt.</param>
/// <param name="Attempt">The attempt's number within its round, from 1 (0 for stop).</param>
public readonly record struct ReconnectStep(ReconnectStepKind Kind, TimeSpan Delay, int Attempt)
{
    /// <summary>No further attempt.</summary>
    public static ReconnectStep Stop { get; } = new(ReconnectStepKind.Stop, TimeSpan.Zero, 0);

    /// <summary>True when this step starts a new round (after a cooldown).</summary>
    public bool StartsNewRound => Kind is ReconnectStepKind.Cooldown or ReconnectStepKind.RateLimitCooldown;
}
