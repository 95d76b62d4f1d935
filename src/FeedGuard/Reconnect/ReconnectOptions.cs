namespace FeedGuard.Reconnect;

/// <summary>
/// How the supervisor retries a failed stream: rounds of <see cref="MaxAttempts"/> attempts with
/// exponential backoff and jitter, a <see cref="Cooldown"/> between rounds, forever unless the
/// broker rejected the credentials.
/// </summary>
public sealed record ReconnectOptions
{
    /// <summary>Attempts per round before the cooldown. Default 3 (the original requirement).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Delay before the first attempt of a round. Default 1 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Growth factor per attempt. Default 2 (1 s, 2 s, 4 s …).</summary>
    public double Multiplier { get; init; } = 2.0;

    /// <summary>Upper bound of any backoff delay, jitter included. Default 30 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Relative jitter: a delay d becomes d × (1 ± Jitter), spread so many clients that lost the
    /// same server do not return in lock-step. Default 0.2; 0 turns it off.
    /// </summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Wait between rounds after <see cref="MaxAttempts"/> failures. Default 60 s (the original requirement).</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Wait after the broker said we are rate limited (longer if it sent Retry-After). Default 5 min.</summary>
    public TimeSpan RateLimitCooldown { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a restored connection must stay up before the attempt counter resets (flap guard).
    /// Default 30 s.
    /// </summary>
    public TimeSpan StabilityWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every problem with these options, each naming its key under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (MaxAttempts < 1)
        {
            yield return $"{prefix}MaxAttempts must be at least 1 (got {MaxAttempts}).";
        }

        if (BaseDelay <= TimeSpan.Zero)
        {
            yield return $"{prefix}BaseDelay must be positive (got {BaseDelay}).";
        }

        if (Multiplier < 1.0 || double.IsNaN(Multiplier) || double.IsInfinity(Multiplier))
        {
            yield return $"{prefix}Multiplier must be a finite number of at least 1 (got {Multiplier}).";
        }

        if (MaxDelay < BaseDelay)
        {
            yield return $"{prefix}MaxDelay must be at least BaseDelay (got {MaxDelay} < {BaseDelay}).";
        }

        if (Jitter is < 0.0 or >= 1.0 || double.IsNaN(Jitter))
        {
            yield return $"{prefix}Jitter must be in [0, 1) (got {Jitter}).";
        }

        if (Cooldown < TimeSpan.Zero)
        {
            yield return $"{prefix}Cooldown must not be negative (got {Cooldown}).";
        }

        if (RateLimitCooldown < TimeSpan.Zero)
        {
            yield return $"{prefix}RateLimitCooldown must not be negative (got {RateLimitCooldown}).";
        }

        if (StabilityWindow < TimeSpan.Zero)
        {
            yield return $"{prefix}StabilityWindow must not be negative (got {StabilityWindow}).";
        }
    }
}
