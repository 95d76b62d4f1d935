using FeedGuard.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FeedGuard.Server.Tests.Nats;

/// <summary><c>FeedGuard:Nats:*</c>: off by default, and every mistake fails the start naming its key.</summary>
public sealed class NatsConfigurationTests
{
    [Theory]
    [InlineData("FeedGuard:Nats:Url", "http://127.0.0.1:4222", "FeedGuard:Nats:Url must be an absolute nats:// or tls:// URL")]
    [InlineData("FeedGuard:Nats:MaxAge", "7", "FeedGuard:Nats:MaxAge must be a duration written hh:mm:ss")]
    [InlineData("FeedGuard:Nats:DuplicateWindow", "00:00:00", "FeedGuard:Nats:DuplicateWindow must be positive")]
    [InlineData("FeedGuard:Nats:MaxBytes", "lots", "FeedGuard:Nats:MaxBytes must be a whole number of at least -1 (got 'lots')")]
    [InlineData("FeedGuard:Nats:BufferCapacity", "0", "FeedGuard:Nats:BufferCapacity must be a whole number of at least 1")]
    [InlineData("FeedGuard:Nats:SubjectPrefix", "ticks.>", "FeedGuard:Nats:SubjectPrefix must be dot-separated tokens")]
    [InlineData("FeedGuard:Nats:Stream", "my.stream", "FeedGuard:Nats:Stream must be letters, digits")]
    [InlineData("FeedGuard:Nats:Buffer", "10", "FeedGuard:Nats:Buffer is not a known key")]
    public async Task Start_BadNatsValue_FailsNamingTheKey(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["FeedGuard:Nats:Url"] = "nats://127.0.0.1:4222", [key] = value };

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestGateway.StartAsync(settings));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NatsKeysWithoutUrl_SaysUrlIsMissing()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestGateway.StartAsync(new Dictionary<string, string?> { ["FeedGuard:Nats:Stream"] = "TICKS" }));

        Assert.Contains("FeedGuard:Nats:Url must be set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UserWithoutPassword_FailsWithoutShowingTheToken()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["FeedGuard:Nats:Url"] = "nats://127.0.0.1:4222",
            ["FeedGuard:Nats:User"] = "trader",
            ["FeedGuard:Nats:Token"] = "tok-Zq81x",
        }));

        Assert.Contains("FeedGuard:Nats:Password must be set", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-Zq81x", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithoutNatsUrl_PublishesNothingAndStatusHasNoNatsBlock()
    {
        await using var gateway = await TestGateway.StartAsync();

        var status = await gateway.StatusAsync();

        Assert.Null(gateway.App.Services.GetRequiredService<FeedGuardGateway>().Publisher);
        Assert.False(status.ContainsKey("nats"));
    }
}
