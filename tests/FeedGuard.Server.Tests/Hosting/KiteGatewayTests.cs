using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FeedGuard.Emulator;
using Microsoft.Extensions.Options;

namespace FeedGuard.Server.Tests.Hosting;

/// <summary>The gateway with broker Kite: real credentials against a Kite endpoint, demo mode without them, and the mistakes it names at start.</summary>
public sealed class KiteGatewayTests
{
    [Fact]
    public async Task KiteDemo_RunsTheKiteClientAgainstTheInProcessEmulator_WithFaultDrillAndRecovery()
    {
        // Named once as objects (exchange, token, symbol): Kite streams by token and polls by symbol.
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["FeedGuard:Broker"] = "Kite",
            ["FeedGuard:Instruments:0:Exchange"] = "NSE",
            ["FeedGuard:Instruments:0:Token"] = "408065",
            ["FeedGuard:Instruments:0:Symbol"] = "INFY",
            ["FeedGuard:Instruments:1"] = "NSE:738561:RELIANCE",
        });

        var status = await gateway.WaitForStatusAsync("streaming");
        Assert.Equal("kite", (string?)status["broker"]);
        Assert.True((bool)status["demo"]!);
        Assert.True((bool)status["fault_injection"]!);
        Assert.Equal(["NSE:408065:INFY", "NSE:738561:RELIANCE"], status["instruments"]!.AsArray().Select(i => $"{i!["instrument"]}:{i["symbol"]}"));
        await WaitForEverySourceAsync(gateway, "stream");

        // The drill works on the Kite endpoint: a stall fails over to polling by symbol, clear recovers.
        await gateway.InjectFaultAsync("""{"kind":"stall"}""");
        await gateway.WaitForStatusAsync("polling");
        await WaitForEverySourceAsync(gateway, "poll");
        using (var clear = await gateway.Http.DeleteAsync("api/emulator/faults"))
        {
            Assert.True(clear.IsSuccessStatusCode);
        }

        await gateway.WaitForStatusAsync("streaming", TimeSpan.FromSeconds(20));
        await WaitForEverySourceAsync(gateway, "stream");
    }

    [Fact]
    public async Task KiteWithCredentials_StreamsFromTheConfiguredUrls_NotDemo_AndNeverShowsTheCredentials()
    {
        await using var emulator = await BrokerEmulator.StartAsync(null, CancellationToken.None);
        var credentials = emulator.Options.Kite;
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["FeedGuard:Broker"] = "Kite",
            ["FeedGuard:Instruments"] = "NSE:408065:INFY,NSE:779521:SBIN",
            ["FeedGuard:Kite:StreamUrl"] = emulator.KiteStreamUrl.ToString(),
            ["FeedGuard:Kite:RestUrl"] = emulator.KiteRestUrl.ToString(),
            ["FeedGuard:Kite:ApiKey"] = credentials.ApiKey,
            ["FeedGuard:Kite:AccessToken"] = credentials.AccessToken,
        });

        var status = await gateway.WaitForStatusAsync("streaming");
        Assert.Equal("kite", (string?)status["broker"]);
        Assert.False((bool)status["demo"]!);
        Assert.False((bool)status["fault_injection"]!);
        Assert.Equal(1, emulator.Counters.ConnectionsOpen);
        await WaitForEverySourceAsync(gateway, "stream");
        var events = await gateway.Http.GetStringAsync("api/events");
        foreach (var text in new[] { status.ToJsonString(), events })
        {
            Assert.DoesNotContain(credentials.ApiKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(credentials.AccessToken, text, StringComparison.Ordinal);
        }

        using var faults = await gateway.Http.PostAsync("api/emulator/faults", new StringContent("""{"kind":"stall"}"""));
        Assert.Equal(HttpStatusCode.NotFound, faults.StatusCode);
    }

    [Theory]
    [InlineData("FeedGuard:Kite:ApiKey", "only-the-key", "FeedGuard:Kite:AccessToken is required when the other Kite credential is set")]
    [InlineData("FeedGuard:Kite:AccessToken", "only-the-token", "FeedGuard:Kite:ApiKey is required when the other Kite credential is set")]
    [InlineData("FeedGuard:Kite:StreamUrl", "https://ws.kite.trade", "FeedGuard:Kite:StreamUrl must be an absolute ws:// or wss:// URL")]
    [InlineData("FeedGuard:Kite:HeartbeatTimeout", "5", "FeedGuard:Kite:HeartbeatTimeout must be a duration written hh:mm:ss")]
    [InlineData("FeedGuard:Kite:PollRequestsPerSecond", "0", "FeedGuard:Kite:PollRequestsPerSecond must be a positive number")]
    [InlineData("FeedGuard:Instruments", "NSE:408065", "FeedGuard:Instruments: Kite cannot serve NSE:408065")]
    [InlineData("FeedGuard:Instruments", "NSE:3045:SBIN", "FeedGuard:Instruments: Kite cannot serve NSE:3045")]
    [InlineData("FeedGuard:Instruments:0:Colour", "red", "FeedGuard:Instruments:0:Colour is not a known key")]
    public async Task Start_BadKiteConfiguration_FailsNamingTheKey(string key, string value, string expected)
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["FeedGuard:Broker"] = "Kite",
            ["FeedGuard:Instruments"] = "NSE:408065:INFY",
            [key] = value,
        }));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static Task WaitForEverySourceAsync(TestGateway gateway, string source)
    {
        JsonArray rows = [];
        return Eventually.TrueAsync(
            async () =>
            {
                rows = (await gateway.Http.GetFromJsonAsync<JsonArray>("api/instruments"))!;
                return rows.Count > 0 && rows.All(r => (string?)r!["source"] == source && (decimal?)r["last_price"] > 0);
            },
            TimeSpan.FromSeconds(15),
            () => $"every instrument priced from {source}; rows {rows.ToJsonString()}");
    }
}
