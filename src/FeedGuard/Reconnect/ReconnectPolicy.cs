using FeedGuard.Sources;

namespace FeedGuard.Reconnect;

/// <summary>The pure arithmetic of the reconnect policy: no clock, no state, exact under a fixed random value.</summary>
public static class ReconnectPolicy
{
    /// <summary>
    /// The backoff before attempt <paramref name="attempt"/> (1-based) of a round:
    /// min(MaxDelay, BaseDelay × Multiplier^(attempt−1) × (1 + Jitter × (2·random − 1))).
    /// </summary>
    /// <param name="options">The policy.</param>
    /// <param name="attempt">Attempt number within the round, from 1.</param>
    /// <param name="random">A uniform value in [0, 1); 0.5 gives the un-jittered delay.</param>
    public static TimeSpan BackoffDelay(ReconnectOptions options, int attempt, double random)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(options.Multiplier, attempt - 1);
        var jittered = exponential * (1.0 + (options.Jitter * ((2.0 * Math.Clamp(random, 0.0, 1.0)) - 1.0)));
        var capped = Math.Min(jittered, options.MaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(Math.Round(capped));
    }

    /// <summary>
    /// What to do after a failure, given how many attempts this round has made.
    /// </summary>
    /// <param name="options">The policy.</param>
    /// <param name="attemptsInRound">Attempts already made in the current round (0 after a reset).</param>
    /// <param name="reason">Why the stream failed.</param>
    /// <param name="retryAfter">The broker's Retry-After, when given.</param>
    /// <param name="random">A uniform value in [0, 1) for jitter.</param>
    public static ReconnectStep NextStep(ReconnectOptions options, int attemptsInRound, DisconnectReason reason, TimeSpan? retryAfter, double random)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (reason == DisconnectReason.AuthRejected)
        {
            return ReconnectStep.Stop;
        }

        if (reason == DisconnectReason.RateLimited)
        {
            var wait = retryAfter is { } asked && asked > options.RateLimitCooldown ? asked : options.RateLimitCooldown;
            return new ReconnectStep(ReconnectStepKind.RateLimitCooldown, wait, 1);
        }

        if (attemptsInRound >= options.MaxAttempts)
        {
            return new ReconnectStep(ReconnectStepKind.Cooldown, options.Cooldown, 1);
        }

        var next = attemptsInRound + 1;
        return new ReconnectStep(ReconnectStepKind.Backoff, BackoffDelay(options, next, random), next);
    }
}
