using System.Text.Json;

namespace FeedGuard.SmartApi.Tests;

public class SmartApiOptionsTests
{
    private static readonly SmartApiOptions WithSecrets = new()
    {
        ApiKey = "api-key-secret",
        ClientCode = "CLIENT42",
        JwtToken = "eyJhbGciOi.jwt-secret",
        FeedToken = "feed-token-secret",
    };

    [Fact]
    public void Defaults_MatchTheDocumentedBrokerValues()
    {
        var options = new SmartApiOptions();

        Assert.Equal("wss://smartapisocket.angelone.in/smart-stream", options.StreamUrl.ToString());
        Assert.Equal("https://apiconnect.angelone.in/", options.RestUrl.ToString());
        Assert.Equal(TimeSpan.FromSeconds(10), options.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(10), options.PongTimeout);
        Assert.Equal(1000, options.MaxTokensPerSocket);
        Assert.Equal(3, options.MaxSockets);
        Assert.Equal(1, options.PollRequestsPerSecond);
        Assert.Equal(50, options.PollBatchSize);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void ToString_NeverContainsACredential()
    {
        var text = WithSecrets.ToString();

        Assert.DoesNotContain("api-key-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CLIENT42", text, StringComparison.Ordinal);
        Assert.DoesNotContain("jwt-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("feed-token-secret", text, StringComparison.Ordinal);
        Assert.Contains("JwtToken = ***", text, StringComparison.Ordinal);
        Assert.Contains("smart-stream", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CredentialsToString_NeverContainsACredential()
    {
        var text = WithSecrets.Credentials.ToString();

        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("CLIENT42", text, StringComparison.Ordinal);
        Assert.Equal("SmartApiCredentials { ApiKey = ***, ClientCode = ***, JwtToken = ***, FeedToken = *** }", text);
        Assert.Contains("(empty)", new SmartApiCredentials().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonSerialization_LeavesCredentialsOut()
    {
        var json = JsonSerializer.Serialize(WithSecrets) + JsonSerializer.Serialize(WithSecrets.Credentials);

        Assert.DoesNotContain("secret", json, StringComparison.Ordinal);
        Assert.DoesNotContain("CLIENT42", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadValues_NameTheirKeys()
    {
        var options = new SmartApiOptions
        {
            StreamUrl = new Uri("https://example.invalid/x"),
            PingInterval = TimeSpan.Zero,
            PongTimeout = TimeSpan.FromSeconds(-1),
            MaxTokensPerSocket = 1001,
            MaxSockets = 4,
            PollBatchSize = 51,
            PollRequestsPerSecond = 0,
        };

        var errors = options.Validate();

        foreach (var key in new[] { "StreamUrl", "PingInterval", "PongTimeout", "MaxTokensPerSocket", "MaxSockets", "PollBatchSize", "PollRequestsPerSecond" })
        {
            Assert.Contains(errors, e => e.StartsWith($"FeedGuard:SmartApi:{key} ", StringComparison.Ordinal));
        }

        var ex = Assert.Throws<ArgumentException>(options.EnsureValid);
        Assert.Contains("FeedGuard:SmartApi:MaxSockets", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_RefuseInvalidOptions()
    {
        var bad = new SmartApiOptions { MaxSockets = 0 };
        using var http = new HttpClient();

        Assert.Throws<ArgumentException>(() => new FeedGuard.SmartApi.Streaming.SmartApiStreamingSource(bad));
        Assert.Throws<ArgumentException>(() => new FeedGuard.SmartApi.Polling.SmartApiPollingSource(bad, http));
    }
}
