using System.Text.Json;
using FeedGuard.Kite.Polling;
using FeedGuard.Kite.Streaming;

namespace FeedGuard.Kite.Tests;

public class KiteOptionsTests
{
    private static readonly KiteOptions WithSecrets = new()
    {
        ApiKey = "api-key-secret",
        AccessToken = "access-token-secret",
        StreamUrl = new Uri("wss://ws.kite.trade/?uid=123"),
    };

    [Fact]
    public void Defaults_MatchTheDocumentedBrokerValues()
    {
        var options = new KiteOptions();

        Assert.Equal("wss://ws.kite.trade/", options.StreamUrl.ToString());
        Assert.Equal("https://api.kite.trade/", options.RestUrl.ToString());
        Assert.Equal(TimeSpan.FromSeconds(5), options.HeartbeatTimeout);
        Assert.Equal(3000, options.MaxInstrumentsPerSocket);
        Assert.Equal(3, options.MaxSockets);
        Assert.Equal(1, options.PollRequestsPerSecond);
        Assert.Equal(1000, options.PollLtpBatchSize);
        Assert.Equal(500, options.PollQuoteBatchSize);
        Assert.Empty(options.Validate());
    }

    [Fact]
    public void ToString_NeverContainsACredentialOrAQueryString()
    {
        var text = WithSecrets.ToString();

        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("uid=123", text, StringComparison.Ordinal);
        Assert.Contains("AccessToken = ***", text, StringComparison.Ordinal);
        Assert.Contains("StreamUrl = wss://ws.kite.trade/?(redacted)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CredentialsToString_NeverContainsACredential()
    {
        Assert.Equal("KiteCredentials { ApiKey = ***, AccessToken = *** }", WithSecrets.Credentials.ToString());
        Assert.Equal("KiteCredentials { ApiKey = (empty), AccessToken = (empty) }", new KiteCredentials().ToString());
    }

    [Fact]
    public void JsonSerialization_LeavesCredentialsOut()
    {
        var json = JsonSerializer.Serialize(WithSecrets) + JsonSerializer.Serialize(WithSecrets.Credentials);

        Assert.DoesNotContain("secret", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadValues_NameTheirKeys()
    {
        var options = new KiteOptions
        {
            StreamUrl = new Uri("https://example.invalid/x"),
            HeartbeatTimeout = TimeSpan.Zero,
            KeepAliveInterval = TimeSpan.FromSeconds(-1),
            MaxInstrumentsPerSocket = 3001,
            MaxSockets = 4,
            PollLtpBatchSize = 1001,
            PollQuoteBatchSize = 501,
            PollRequestsPerSecond = 0,
            ConnectTimeout = TimeSpan.Zero,
        };

        var errors = options.Validate();

        foreach (var key in new[] { "StreamUrl", "HeartbeatTimeout", "KeepAliveInterval", "MaxInstrumentsPerSocket", "MaxSockets", "PollLtpBatchSize", "PollQuoteBatchSize", "PollRequestsPerSecond", "ConnectTimeout" })
        {
            Assert.Contains(errors, e => e.StartsWith($"FeedGuard:Kite:{key} ", StringComparison.Ordinal));
        }

        var ex = Assert.Throws<ArgumentException>(options.EnsureValid);
        Assert.Contains("FeedGuard:Kite:MaxSockets", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StreamUrlCarryingCredentials_IsRefusedWithoutEchoingThem()
    {
        var options = new KiteOptions { StreamUrl = new Uri("wss://ws.kite.trade/?api_key=k&access_token=access-token-secret") };

        var error = Assert.Single(options.Validate());

        Assert.StartsWith("FeedGuard:Kite:StreamUrl ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("access-token-secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_RefuseInvalidOptions()
    {
        var bad = new KiteOptions { MaxSockets = 0 };
        using var http = new HttpClient();

        Assert.Throws<ArgumentException>(() => new KiteStreamingSource(bad));
        Assert.Throws<ArgumentException>(() => new KitePollingSource(bad, http));
    }
}
