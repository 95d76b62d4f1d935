using System.Net;
using FeedGuard.Emulator;
using Microsoft.Extensions.Options;

namespace FeedGuard.Server.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("FeedGuard:Broker", "Foo", "FeedGuard:Broker must be one of Emulator, SmartApi, Kite (got 'Foo').")]
    [InlineData("FeedGuard:HeartbeatThreshold", "30", "FeedGuard:HeartbeatThreshold must be a duration written hh:mm:ss")]
    [InlineData("FeedGuard:FeedMode", "Turbo", "FeedGuard:FeedMode must be one of Ltp, Quote, Full (got 'Turbo')")]
    [InlineData("FeedGuard:MaxReconnectAttempts", "0", "FeedGuard:MaxReconnectAttempts must be a whole number of at least 1 (got '0')")]
    [InlineData("FeedGuard:Instruments", "NSE:3045,XYZ:1", "FeedGuard:Instruments Instrument 'XYZ:1' names unknown exchange 'XYZ'")]
    [InlineData("FeedGuard:HeartbeatTreshold", "00:00:10", "FeedGuard:HeartbeatTreshold is not a known key")]
    [InlineData("FeedGuard:SmartApi:StreamUrl", "http://example.invalid", "FeedGuard:SmartApi:StreamUrl must be an absolute ws:// or wss:// URL")]
    public async Task Start_BadValue_FailsNamingTheKey(string key, string value, string expected)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestGateway.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_SmartApiWithoutCredentials_NamesEachMissingKey()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestGateway.StartAsync(new Dictionary<string, string?> { ["FeedGuard:Broker"] = "SmartApi" }));

        foreach (var key in new[] { "ApiKey", "ClientCode", "JwtToken", "FeedToken" })
        {
            Assert.Contains($"FeedGuard:SmartApi:{key} is required", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SmartApiBroker_StreamsFromTheConfiguredUrls_AndHasNoFaultApi()
    {
        // A real SmartApi configuration, pointed at an emulator on loopback: not demo mode.
        await using var emulator = await BrokerEmulator.StartAsync(null, CancellationToken.None);
        var credentials = emulator.Options.SmartApi;
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["FeedGuard:Broker"] = "SmartApi",
            ["FeedGuard:Instruments"] = "NSE:3045:SBIN",
            ["FeedGuard:SmartApi:StreamUrl"] = emulator.SmartStreamUrl.ToString(),
            ["FeedGuard:SmartApi:RestUrl"] = emulator.SmartApiRestUrl.ToString(),
            ["FeedGuard:SmartApi:ApiKey"] = credentials.ApiKey,
            ["FeedGuard:SmartApi:ClientCode"] = credentials.ClientCode,
            ["FeedGuard:SmartApi:JwtToken"] = credentials.JwtToken,
            ["FeedGuard:SmartApi:FeedToken"] = credentials.FeedToken,
        });

        var status = await gateway.WaitForStatusAsync("streaming");
        Assert.Equal("smartapi", (string?)status["broker"]);
        Assert.False((bool)status["demo"]!);
        Assert.DoesNotContain(credentials.JwtToken, status.ToJsonString(), StringComparison.Ordinal);
        using var faults = await gateway.Http.PostAsync("api/emulator/faults", new StringContent("""{"kind":"stall"}"""));
        Assert.Equal(HttpStatusCode.NotFound, faults.StatusCode);
    }
}
