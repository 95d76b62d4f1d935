using FeedGuard.Reconnect;
using FeedGuard.Sources;

namespace FeedGuard.Tests.Reconnect;

/// <summary>The backoff arithmetic of DESIGN §5, exact under a fixed random value.</summary>
public sealed class ReconnectPolicyTests
{
    private const double Midpoint = 0.5;

    // The largest double below 1: the top of the randomizer's [0, 1) range.
    private static readonly double AlmostOne = Math.BitDecrement(1.0);

    private static readonly ReconnectOptions Defaults = new();

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 2000)]
    [InlineData(3, 4000)]
    [InlineData(4, 8000)]
    public void BackoffDelay_RandomAtMidpoint_IsBaseTimesMultiplierToTheAttemptMinusOne(int attempt, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), ReconnectPolicy.BackoffDelay(Defaults, attempt, Midpoint));
    }

    [Fact]
    public void BackoffDelay_OtherBaseAndMultiplier_FollowsTheFormula()
    {
        var options = new ReconnectOptions { BaseDelay = TimeSpan.FromMilliseconds(250), Multiplier = 3, MaxDelay = TimeSpan.FromMinutes(1) };

        Assert.Equal(
            [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(750), TimeSpan.FromMilliseconds(2250)],
            [ReconnectPolicy.BackoffDelay(options, 1, Midpoint), ReconnectPolicy.BackoffDelay(options, 2, Midpoint), ReconnectPolicy.BackoffDelay(options, 3, Midpoint)]);
    }

    [Theory]
    [InlineData(1, 800, 1200)]
    [InlineData(2, 1600, 2400)]
    [InlineData(3, 3200, 4800)]
    public void BackoffDelay_RandomAtEitherEnd_IsTwentyPercentBelowOrAbove(int attempt, int lowMs, int highMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(lowMs), ReconnectPolicy.BackoffDelay(Defaults, attempt, 0.0));
        Assert.Equal(TimeSpan.FromMilliseconds(highMs), ReconnectPolicy.BackoffDelay(Defaults, attempt, AlmostOne));
    }

    [Fact]
    public void BackoffDelay_RandomOutsideUnitRange_StaysWithinJitterBounds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(800), ReconnectPolicy.BackoffDelay(Defaults, 1, -3.0));
        Assert.Equal(TimeSpan.FromMilliseconds(1200), ReconnectPolicy.BackoffDelay(Defaults, 1, 7.0));
    }

    [Fact]
    public void BackoffDelay_JitterOff_IgnoresRandom()
    {
        var options = Defaults with { Jitter = 0 };

        Assert.Equal(TimeSpan.FromSeconds(2), ReconnectPolicy.BackoffDelay(options, 2, 0.0));
        Assert.Equal(TimeSpan.FromSeconds(2), ReconnectPolicy.BackoffDelay(options, 2, AlmostOne));
    }

    [Fact]
    public void BackoffDelay_SpreadOfRandomValues_NeverLeavesTheJitterBand()
    {
        for (var i = 0; i <= 100; i++)
        {
            var delay = ReconnectPolicy.BackoffDelay(Defaults, 2, Math.Min(i / 100.0, AlmostOne));

            Assert.InRange(delay, TimeSpan.FromMilliseconds(1600), TimeSpan.FromMilliseconds(2400));
        }
    }

    [Fact]
    public void BackoffDelay_BeyondTheCap_IsMaxDelay()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ReconnectPolicy.BackoffDelay(Defaults, 6, Midpoint));
        Assert.Equal(TimeSpan.FromSeconds(30), ReconnectPolicy.BackoffDelay(Defaults, 60, Midpoint));
        Assert.Equal(TimeSpan.FromSeconds(30), ReconnectPolicy.BackoffDelay(Defaults, 2000, Midpoint));
    }

    [Fact]
    public void BackoffDelay_JitterWouldCrossTheCap_IsCappedIncludingJitter()
    {
        // Attempt 5 is 16 s un-jittered; at the top of the band it would be 19.2 s.
        var options = Defaults with { MaxDelay = TimeSpan.FromSeconds(18) };

        Assert.Equal(TimeSpan.FromSeconds(18), ReconnectPolicy.BackoffDelay(options, 5, AlmostOne));
        Assert.Equal(TimeSpan.FromSeconds(16), ReconnectPolicy.BackoffDelay(options, 5, Midpoint));
        Assert.Equal(TimeSpan.FromMilliseconds(12800), ReconnectPolicy.BackoffDelay(options, 5, 0.0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void BackoffDelay_AttemptBelowOne_Throws(int attempt)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconnectPolicy.BackoffDelay(Defaults, attempt, Midpoint));
    }

    [Fact]
    public void NextStep_FirstRound_BacksOffOneTwoFourSecondsThenCoolsDown()
    {
        var steps = new List<ReconnectStep>();
        var attempts = 0;
        for (var i = 0; i < 4; i++)
        {
            var step = ReconnectPolicy.NextStep(Defaults, attempts, DisconnectReason.NetworkError, null, Midpoint);
            steps.Add(step);
            attempts = step.Attempt;
        }

        Assert.Equal(
            [
                new ReconnectStep(ReconnectStepKind.Backoff, TimeSpan.FromSeconds(1), 1),
                new ReconnectStep(ReconnectStepKind.Backoff, TimeSpan.FromSeconds(2), 2),
                new ReconnectStep(ReconnectStepKind.Backoff, TimeSpan.FromSeconds(4), 3),
                new ReconnectStep(ReconnectStepKind.Cooldown, TimeSpan.FromSeconds(60), 1),
            ],
            steps);
        Assert.Equal([false, false, false, true], steps.Select(s => s.StartsNewRound));
    }

    [Fact]
    public void NextStep_AfterCooldown_NewRoundBacksOffFromTheStartAgain()
    {
        var cooldown = ReconnectPolicy.NextStep(Defaults, 3, DisconnectReason.ClosedByServer, null, Midpoint);

        var next = ReconnectPolicy.NextStep(Defaults, cooldown.Attempt, DisconnectReason.ClosedByServer, null, Midpoint);

        Assert.Equal(new ReconnectStep(ReconnectStepKind.Backoff, TimeSpan.FromSeconds(2), 2), next);
    }

    [Fact]
    public void NextStep_MaxAttemptsConfigured_CoolsDownAfterThatMany()
    {
        var options = Defaults with { MaxAttempts = 5, Cooldown = TimeSpan.FromSeconds(90) };

        Assert.Equal(ReconnectStepKind.Backoff, ReconnectPolicy.NextStep(options, 4, DisconnectReason.NetworkError, null, Midpoint).Kind);
        Assert.Equal(new ReconnectStep(ReconnectStepKind.Cooldown, TimeSpan.FromSeconds(90), 1), ReconnectPolicy.NextStep(options, 5, DisconnectReason.NetworkError, null, Midpoint));
    }

    [Fact]
    public void NextStep_BackoffStep_CarriesTheJitteredDelay()
    {
        var step = ReconnectPolicy.NextStep(Defaults, 1, DisconnectReason.NoPong, null, 0.0);

        Assert.Equal(new ReconnectStep(ReconnectStepKind.Backoff, TimeSpan.FromMilliseconds(1600), 2), step);
    }

    [Fact]
    public void NextStep_RateLimitedWithoutRetryAfter_WaitsRateLimitCooldownAndStartsNewRound()
    {
        var step = ReconnectPolicy.NextStep(Defaults, 1, DisconnectReason.RateLimited, null, Midpoint);

        Assert.Equal(new ReconnectStep(ReconnectStepKind.RateLimitCooldown, TimeSpan.FromMinutes(5), 1), step);
        Assert.True(step.StartsNewRound);
    }

    [Fact]
    public void NextStep_RateLimitedWithLongerRetryAfter_WaitsRetryAfter()
    {
        var step = ReconnectPolicy.NextStep(Defaults, 0, DisconnectReason.RateLimited, TimeSpan.FromMinutes(12), Midpoint);

        Assert.Equal(TimeSpan.FromMinutes(12), step.Delay);
        Assert.Equal(ReconnectStepKind.RateLimitCooldown, step.Kind);
    }

    [Fact]
    public void NextStep_RateLimitedWithShorterRetryAfter_WaitsRateLimitCooldown()
    {
        var step = ReconnectPolicy.NextStep(Defaults, 0, DisconnectReason.RateLimited, TimeSpan.FromSeconds(10), Midpoint);

        Assert.Equal(TimeSpan.FromMinutes(5), step.Delay);
    }

    [Fact]
    public void NextStep_RateLimitedAfterRoundExhausted_StillWaitsTheLongCooldown()
    {
        var step = ReconnectPolicy.NextStep(Defaults, 3, DisconnectReason.RateLimited, null, Midpoint);

        Assert.Equal(new ReconnectStep(ReconnectStepKind.RateLimitCooldown, TimeSpan.FromMinutes(5), 1), step);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public void NextStep_AuthRejected_Stops(int attemptsInRound)
    {
        var step = ReconnectPolicy.NextStep(Defaults, attemptsInRound, DisconnectReason.AuthRejected, TimeSpan.FromMinutes(1), Midpoint);

        Assert.Equal(ReconnectStep.Stop, step);
        Assert.Equal(ReconnectStepKind.Stop, step.Kind);
        Assert.Equal(0, step.Attempt);
        Assert.False(step.StartsNewRound);
    }
}
