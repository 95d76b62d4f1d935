using FeedGuard.Buffers;
using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.Reconnect;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Tests;

/// <summary>Bad options fail once, at construction, with a message naming every bad key.</summary>
public sealed class MarketFeedOptionsTests
{
    private static readonly MarketFeedOptions Valid = new() { Instruments = [InstrumentKey.Parse("NSE:3045"), InstrumentKey.Parse("NSE:2885")] };

    [Fact]
    public void Defaults_FollowTheOriginalRequirements()
    {
        var options = new MarketFeedOptions();

        Assert.Equal(FeedMode.Ltp, options.FeedMode);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HeartbeatThreshold);
        Assert.Equal(3, options.Reconnect.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Reconnect.Cooldown);
        Assert.False(options.AllowSimulation);
        Assert.False(options.Sessions.AlwaysOpen);
    }

    [Fact]
    public void Validate_DefaultsWithInstruments_ReportsNothing()
    {
        Assert.Empty(Valid.Validate());
    }

    [Fact]
    public void Validate_DefaultsWithoutInstruments_ReportsOnlyTheMissingInstruments()
    {
        var problem = Assert.Single(new MarketFeedOptions().Validate());

        Assert.StartsWith("Instruments ", problem, StringComparison.Ordinal);
        Assert.Contains("NSE:3045", problem, StringComparison.Ordinal);
    }

    public static TheoryData<Func<MarketFeedOptions, MarketFeedOptions>, string> BadValues() => new()
    {
        { o => o with { Name = " " }, "Name" },
        { o => o with { Instruments = null! }, "Instruments" },
        { o => o with { FeedMode = (FeedMode)0 }, "FeedMode" },
        { o => o with { HeartbeatThreshold = TimeSpan.Zero }, "HeartbeatThreshold" },
        { o => o with { FrameTimeout = TimeSpan.FromSeconds(-2) }, "FrameTimeout" },
        { o => o with { ConnectTimeout = TimeSpan.Zero }, "ConnectTimeout" },
        { o => o with { HealthCheckInterval = TimeSpan.Zero }, "HealthCheckInterval" },
        { o => o with { PromoteWindow = TimeSpan.FromSeconds(-1) }, "PromoteWindow" },
        { o => o with { PollInterval = TimeSpan.Zero }, "PollInterval" },
        { o => o with { PollTimeout = TimeSpan.Zero }, "PollTimeout" },
        { o => o with { PollFailureThreshold = 0 }, "PollFailureThreshold" },
        { o => o with { PollRateLimitCooldown = TimeSpan.FromSeconds(-1) }, "PollRateLimitCooldown" },
        { o => o with { SimulationInterval = TimeSpan.Zero }, "SimulationInterval" },
        { o => o with { MaxMalformedRatio = 0 }, "MaxMalformedRatio" },
        { o => o with { MaxMalformedRatio = 1.5 }, "MaxMalformedRatio" },
        { o => o with { MaxMalformedRatio = double.NaN }, "MaxMalformedRatio" },
        { o => o with { MalformedMinFrames = 0 }, "MalformedMinFrames" },
        { o => o with { CredentialsRetryInterval = TimeSpan.Zero }, "CredentialsRetryInterval" },
        { o => o with { FutureTolerance = TimeSpan.Zero }, "FutureTolerance" },
        { o => o with { RecentTicksPerInstrument = -1 }, "RecentTicksPerInstrument" },
        { o => o with { EventHistory = -1 }, "EventHistory" },
        { o => o with { DefaultSubscription = null! }, "DefaultSubscription" },
        { o => o with { Reconnect = null! }, "Reconnect" },
        { o => o with { Reconnect = new ReconnectOptions { MaxAttempts = 0 } }, "Reconnect:MaxAttempts" },
        { o => o with { Reconnect = new ReconnectOptions { Jitter = 1 } }, "Reconnect:Jitter" },
        { o => o with { Sessions = null! }, "Sessions" },
        { o => o with { Sessions = NseClosingBeforeItOpens() }, "Sessions:Exchanges:NSE:Close" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Validate_OneBadValue_ReportsOneProblemStartingWithItsKey(Func<MarketFeedOptions, MarketFeedOptions> change, string key)
    {
        var problem = Assert.Single(change(Valid).Validate());

        Assert.StartsWith(key + " ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadDefaultSubscription_NamesTheSubscriptionAndTheField()
    {
        var problem = Assert.Single((Valid with { DefaultSubscription = new SubscriptionOptions { Capacity = 0 } }).Validate());

        Assert.StartsWith("DefaultSubscription", problem, StringComparison.Ordinal);
        Assert.Contains("Capacity", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SameInstrumentTwice_NamesIt()
    {
        var options = Valid with { Instruments = [InstrumentKey.Parse("NSE:3045"), InstrumentKey.Parse("MCX:1"), InstrumentKey.Parse("nse:3045:SBIN")] };

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith("Instruments ", problem, StringComparison.Ordinal);
        Assert.Contains("NSE:3045", problem, StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, InstrumentKey> KeysBuiltInCode = new()
    {
        ["null"] = null!,
        ["empty token"] = new InstrumentKey(Exchange.Nse, ""),
        ["null token"] = new InstrumentKey(Exchange.Nse, null!),
        ["token with a dash"] = new InstrumentKey(Exchange.Nse, "30-45"),
        ["token with spaces"] = new InstrumentKey(Exchange.Nse, " 3045"),
        ["exchange 0"] = new InstrumentKey((Exchange)0, "3045"),
        ["exchange 42"] = new InstrumentKey((Exchange)42, "3045"),
        ["blank symbol"] = new InstrumentKey(Exchange.Nse, "3045", " "),
    };

    [Theory]
    [InlineData("null")]
    [InlineData("empty token")]
    [InlineData("null token")]
    [InlineData("token with a dash")]
    [InlineData("token with spaces")]
    [InlineData("exchange 0")]
    [InlineData("exchange 42")]
    [InlineData("blank symbol")]
    public void Validate_KeyBuiltInCodeThatCouldNotBeParsed_IsReportedAgainstItsIndex(string keyCase)
    {
        var options = Valid with { Instruments = [InstrumentKey.Parse("NSE:2885"), KeysBuiltInCode[keyCase]] };

        var problem = Assert.Single(options.Validate());

        Assert.StartsWith("Instruments:1 ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownExchangeBuiltInCode_ListsTheAllowedExchanges()
    {
        var options = Valid with { Instruments = [new InstrumentKey((Exchange)42, "3045"), new InstrumentKey((Exchange)42, "3045")] };

        var problems = options.Validate();

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("NSE, NFO, CDS, BSE, BFO, BCD, MCX, MCXSX, NCDEX", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_FrameTimeoutInfinite_TurnsTheCheckOffAndIsValid()
    {
        Assert.Empty((Valid with { FrameTimeout = Timeout.InfiniteTimeSpan }).Validate());
    }

    [Fact]
    public void Validate_ZeroForOptionalWindowsAndHistories_IsValid()
    {
        var options = Valid with { PromoteWindow = TimeSpan.Zero, PollRateLimitCooldown = TimeSpan.Zero, RecentTicksPerInstrument = 0, EventHistory = 0 };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validate_SeveralBadValues_ReportsEveryOneWithItsKey()
    {
        var options = Valid with
        {
            Name = "",
            HeartbeatThreshold = TimeSpan.FromSeconds(-30),
            PollFailureThreshold = 0,
            Reconnect = new ReconnectOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.FromSeconds(-1) },
            Sessions = NseClosingBeforeItOpens(),
        };

        var problems = options.Validate();

        Assert.Equal(
            ["HeartbeatThreshold", "Name", "PollFailureThreshold", "Reconnect:BaseDelay", "Reconnect:MaxDelay", "Sessions:Exchanges:NSE:Close"],
            problems.Select(p => p.Split(' ')[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ThrowIfInvalid_Valid_DoesNotThrow()
    {
        Valid.ThrowIfInvalid();

        Assert.Empty(Valid.Validate());
    }

    [Fact]
    public void ThrowIfInvalid_Invalid_ThrowsListingEveryProblem()
    {
        var options = Valid with { PollInterval = TimeSpan.Zero, EventHistory = -1 };

        var ex = Assert.Throws<ArgumentException>(options.ThrowIfInvalid);

        Assert.Contains("PollInterval must be positive", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EventHistory must not be negative", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MarketFeedConstructor_InvalidOptions_ThrowsArgumentExceptionNamingTheKeys()
    {
        var options = Valid with { HeartbeatThreshold = TimeSpan.Zero, Reconnect = new ReconnectOptions { MaxAttempts = 0 } };

        var ex = Assert.Throws<ArgumentException>(() => new MarketFeed(options, new ScriptedStreamingSource(), null, Services()));

        Assert.Contains("HeartbeatThreshold", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Reconnect:MaxAttempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MarketFeedConstructor_NoInstruments_ThrowsArgumentExceptionNamingInstruments()
    {
        var ex = Assert.Throws<ArgumentException>(() => new MarketFeed(new MarketFeedOptions(), new ScriptedStreamingSource(), null, Services()));

        Assert.Contains("Instruments", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MarketFeedConstructor_BadKeyBuiltInCode_ThrowsArgumentExceptionNamingInstruments()
    {
        var options = Valid with { Instruments = [new InstrumentKey(Exchange.Nse, "")] };

        var ex = Assert.Throws<ArgumentException>(() => new MarketFeed(options, new ScriptedStreamingSource(), null, Services()));

        Assert.Contains("Instruments:0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarketFeedConstructor_ValidOptions_BuildsTheFeedWithThoseInstruments()
    {
        await using var feed = new MarketFeed(Valid with { Name = "desk" }, new ScriptedStreamingSource(), null, Services());

        Assert.Equal("desk", feed.Name);
        Assert.Equal(Valid.Instruments, feed.Instruments.All.Select(i => i.Key));
    }

    private static MarketFeedServices Services() => new() { TimeProvider = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 4, 30, 0, TimeSpan.Zero)) };

    private static SessionCalendarOptions NseClosingBeforeItOpens() => new()
    {
        Exchanges = new Dictionary<Exchange, TradingSession> { [Exchange.Nse] = new TradingSession { Open = new(15, 30), Close = new(9, 15) } },
    };
}
