using FeedGuard.Reconnect;

namespace FeedGuard.Tests.Reconnect;

/// <summary>Defaults from the original requirements and validation messages that name the bad key.</summary>
public sealed class ReconnectOptionsTests
{
    private const string Prefix = "Reconnect:";

    [Fact]
    public void Defaults_MatchTheOriginalRequirements()
    {
        var options = new ReconnectOptions();

        Assert.Equal(3, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BaseDelay);
        Assert.Equal(2.0, options.Multiplier);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxDelay);
        Assert.Equal(0.2, options.Jitter);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Cooldown);
        Assert.Equal(TimeSpan.FromMinutes(5), options.RateLimitCooldown);
        Assert.Equal(TimeSpan.FromSeconds(30), options.StabilityWindow);
    }

    [Fact]
    public void Validate_Defaults_ReportsNothing()
    {
        Assert.Empty(new ReconnectOptions().Validate(Prefix));
    }

    public static TheoryData<ReconnectOptions, string> BadOptions() => new()
    {
        { new ReconnectOptions { MaxAttempts = 0 }, "Reconnect:MaxAttempts" },
        { new ReconnectOptions { BaseDelay = TimeSpan.Zero }, "Reconnect:BaseDelay" },
        { new ReconnectOptions { BaseDelay = TimeSpan.FromSeconds(-1) }, "Reconnect:BaseDelay" },
        { new ReconnectOptions { Multiplier = 0.5 }, "Reconnect:Multiplier" },
        { new ReconnectOptions { Multiplier = double.NaN }, "Reconnect:Multiplier" },
        { new ReconnectOptions { Multiplier = double.PositiveInfinity }, "Reconnect:Multiplier" },
        { new ReconnectOptions { MaxDelay = TimeSpan.FromMilliseconds(500) }, "Reconnect:MaxDelay" },
        { new ReconnectOptions { Jitter = -0.1 }, "Reconnect:Jitter" },
        { new ReconnectOptions { Jitter = 1.0 }, "Reconnect:Jitter" },
        { new ReconnectOptions { Jitter = double.NaN }, "Reconnect:Jitter" },
        { new ReconnectOptions { Cooldown = TimeSpan.FromSeconds(-1) }, "Reconnect:Cooldown" },
        { new ReconnectOptions { RateLimitCooldown = TimeSpan.FromSeconds(-1) }, "Reconnect:RateLimitCooldown" },
        { new ReconnectOptions { StabilityWindow = TimeSpan.FromSeconds(-1) }, "Reconnect:StabilityWindow" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_OneBadValue_ReportsOneProblemNamingTheKey(ReconnectOptions options, string key)
    {
        var problem = Assert.Single(options.Validate(Prefix));

        Assert.StartsWith(key + " ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadValue_MessageShowsWhatWasGiven()
    {
        var problem = Assert.Single(new ReconnectOptions { MaxAttempts = -4 }.Validate(Prefix));

        Assert.Contains("-4", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralBadValues_ReportsEveryOne()
    {
        var options = new ReconnectOptions { MaxAttempts = 0, Jitter = 2, Cooldown = TimeSpan.FromSeconds(-5) };

        var problems = options.Validate(Prefix).ToList();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Reconnect:MaxAttempts ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Reconnect:Jitter ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Reconnect:Cooldown ", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ZeroCooldownsAndJitter_AreAllowed()
    {
        var options = new ReconnectOptions { Jitter = 0, Cooldown = TimeSpan.Zero, RateLimitCooldown = TimeSpan.Zero, StabilityWindow = TimeSpan.Zero, Multiplier = 1 };

        Assert.Empty(options.Validate(Prefix));
    }
}
