using FeedGuard.Instruments;
using FeedGuard.Nats.Connection;
using FeedGuard.Nats.Consuming;
using FeedGuard.Nats.Publishing;

namespace FeedGuard.Nats.Tests.Publishing;

/// <summary>Bad NATS settings fail at start naming the key; credentials never reach text.</summary>
public class NatsOptionsTests
{
    private const string Prefix = "FeedGuard:Nats:";

    [Fact]
    public void Validate_Defaults_HasNoProblem()
    {
        Assert.Empty(new NatsPublisherOptions().Validate(Prefix));
    }

    [Theory]
    [InlineData("Stream", "Stream")]
    [InlineData("SubjectPrefix", "SubjectPrefix")]
    [InlineData("DuplicateWindow", "DuplicateWindow")]
    [InlineData("MaxBytes", "MaxBytes")]
    [InlineData("BufferCapacity", "BufferCapacity")]
    [InlineData("Url", "Url")]
    public void Validate_OneBadSetting_NamesItsKey(string setting, string key)
    {
        var options = setting switch
        {
            "Stream" => new NatsPublisherOptions { Stream = "ticks.all" },
            "SubjectPrefix" => new NatsPublisherOptions { SubjectPrefix = "feedguard.*" },
            "DuplicateWindow" => new NatsPublisherOptions { DuplicateWindow = TimeSpan.FromDays(2) },
            "MaxBytes" => new NatsPublisherOptions { MaxBytes = 0 },
            "BufferCapacity" => new NatsPublisherOptions { BufferCapacity = 0 },
            _ => new NatsPublisherOptions { Connection = new NatsConnectionSettings { Url = new Uri("http://127.0.0.1:4222") } },
        };

        var problem = Assert.Single(options.Validate(Prefix));
        Assert.StartsWith(Prefix + key, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UrlWithPassword_IsRefusedWithoutEchoingIt()
    {
        var options = new NatsConnectionSettings { Url = new Uri("nats://trader:s3cr3t-pw@127.0.0.1:4222") };

        var problem = Assert.Single(options.Validate(Prefix));
        Assert.StartsWith(Prefix + "Url", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-pw", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UserWithoutPassword_AndTwoAuthMethods_AreNamed()
    {
        var problems = new NatsConnectionSettings { User = "trader", Token = "t0k3n" }.Validate(Prefix).ToList();

        Assert.Contains(problems, p => p.Contains(Prefix + "Password", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(Prefix + "Token", StringComparison.Ordinal));
    }

    [Fact]
    public void ToString_NeverShowsPasswordOrToken()
    {
        var text = new NatsPublisherOptions { Connection = new NatsConnectionSettings { User = "trader", Password = "s3cr3t-pw" } }.ToString()
            + new NatsConnectionSettings { Token = "t0k3n-x9" };

        Assert.DoesNotContain("s3cr3t-pw", text, StringComparison.Ordinal);
        Assert.DoesNotContain("t0k3n-x9", text, StringComparison.Ordinal);
        Assert.Contains("trader", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsumerValidate_NoInstruments_OrBadDurableName_AreNamed()
    {
        var problems = new NatsConsumerOptions { DurableName = "my strategy" }.Validate().ToList();

        Assert.Contains(problems, p => p.StartsWith("Instruments", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("DurableName", StringComparison.Ordinal));
        Assert.Empty(new NatsConsumerOptions { Instruments = [InstrumentKey.Parse("NSE:3045")], DurableName = "strategy-1" }.Validate());
    }
}
