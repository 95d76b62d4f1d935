using System.Text.Json;

namespace FeedGuard.Server.Tests.Cli;

public sealed class FeedGuardCliTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_JsonlNoDashboard_PrintsTickAndStatusLines_AndSigtermExitsZeroWithStatusStopped()
    {
        using var feedguard = FeedGuardProcess.Start(null, "run", "--jsonl", "--no-dashboard", "--urls", "http://127.0.0.1:0");

        await Eventually.TrueAsync(
            () => Task.FromResult(Lines(feedguard, "tick").Count >= 10 && Lines(feedguard, "status").Any(s => s.GetProperty("status").GetString() == "streaming")),
            Bound,
            () => $"stdout:\n{string.Join('\n', feedguard.Stdout.Take(20))}\nstderr:\n{string.Join('\n', feedguard.Stderr.TakeLast(20))}");

        var tick = Lines(feedguard, "tick")[0];
        Assert.Equal("NSE", tick.GetProperty("exchange").GetString());
        Assert.Contains(tick.GetProperty("token").GetString(), new[] { "3045", "2885", "1594", "11536", "1333" });
        Assert.True(tick.GetProperty("ltp").GetDecimal() > 0);
        Assert.Equal(JsonValueKind.String, tick.GetProperty("exchange_time").ValueKind);
        Assert.Equal(JsonValueKind.Number, tick.GetProperty("seq").ValueKind);
        Assert.Equal("stream", tick.GetProperty("source").GetString());
        Assert.Contains(Lines(feedguard, "event"), e => e.GetProperty("kind").GetString() == "mode_changed");

        feedguard.Signal("TERM");

        Assert.Equal(0, await feedguard.WaitForExitAsync(Bound));
        var last = JsonDocument.Parse(feedguard.Stdout[^1]).RootElement;
        Assert.Equal("status", last.GetProperty("type").GetString());
        Assert.Equal("stopped", last.GetProperty("status").GetString());
        Assert.Contains(feedguard.Stderr, l => l.Contains("demo mode", StringComparison.Ordinal)); // logs go to stderr
    }

    [Fact]
    public async Task Status_JsonAndTable_ReadARunningGateway_AndCtrlCExitsZero()
    {
        var url = $"http://127.0.0.1:{FeedGuardProcess.FreePort()}";
        using var gateway = FeedGuardProcess.Start(null, "run", "--no-dashboard", "--urls", url, "--instruments", "NSE:3045:SBIN,NSE:2885");
        using var http = new HttpClient();
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    return (await http.GetStringAsync($"{url}/api/status")).Contains("\"status\":\"streaming\"", StringComparison.Ordinal);
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            Bound,
            () => $"the gateway never streamed; stderr:\n{string.Join('\n', gateway.Stderr.TakeLast(20))}");

        using (var json = FeedGuardProcess.Start(null, "status", "--url", url, "--json"))
        {
            Assert.Equal(0, await json.WaitForExitAsync(Bound));
            var status = JsonDocument.Parse(string.Join('\n', json.Stdout)).RootElement;
            Assert.Equal("streaming", status.GetProperty("status").GetString());
            Assert.Equal(["NSE:3045", "NSE:2885"], status.GetProperty("instruments").EnumerateArray().Select(i => i.GetProperty("instrument").GetString()));
        }

        using (var table = FeedGuardProcess.Start(null, "status", "--url", url))
        {
            Assert.Equal(0, await table.WaitForExitAsync(Bound));
            Assert.Contains(table.Stdout, l => l.Contains("status", StringComparison.Ordinal) && l.Contains("streaming", StringComparison.Ordinal));
            Assert.Contains(table.Stdout, l => l.StartsWith("NSE:3045", StringComparison.Ordinal) && l.Contains("SBIN", StringComparison.Ordinal));
        }

        gateway.Signal("INT");
        Assert.Equal(0, await gateway.WaitForExitAsync(Bound));
    }

    [Fact]
    public async Task Run_BrokerKiteWithoutCredentials_IsKiteDemoOverHttp_WithStreamTicksAndBrokerKite()
    {
        var url = $"http://127.0.0.1:{FeedGuardProcess.FreePort()}";
        using var gateway = FeedGuardProcess.Start(null, "run", "--broker", "kite", "--no-dashboard", "--urls", url);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        JsonElement status = default;
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    status = JsonDocument.Parse(await http.GetStringAsync("/api/status")).RootElement;
                    return status.GetProperty("status").GetString() == "streaming";
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            Bound,
            () => $"the Kite demo never streamed; stderr:\n{string.Join('\n', gateway.Stderr.TakeLast(20))}");

        Assert.Equal("kite", status.GetProperty("broker").GetString());
        Assert.True(status.GetProperty("demo").GetBoolean());
        Assert.True(status.GetProperty("fault_injection").GetBoolean());

        // The default instruments under Kite's tokens, priced by the Kite client from the emulator's ticker.
        JsonElement rows = default;
        await Eventually.TrueAsync(
            async () =>
            {
                rows = JsonDocument.Parse(await http.GetStringAsync("/api/instruments")).RootElement;
                return rows.EnumerateArray().All(r => r.GetProperty("source").GetString() == "stream" && r.GetProperty("last_price").GetDecimal() > 0);
            },
            Bound,
            () => "every instrument priced from the stream; rows " + rows);
        Assert.Equal(
            ["NSE:779521:SBIN", "NSE:738561:RELIANCE", "NSE:408065:INFY", "NSE:2953217:TCS", "NSE:341249:HDFCBANK"],
            rows.EnumerateArray().Select(r => $"{r.GetProperty("instrument").GetString()}:{r.GetProperty("symbol").GetString()}"));
        Assert.Contains(gateway.Stdout.Concat(gateway.Stderr), l => l.Contains("broker Kite", StringComparison.Ordinal) && l.Contains("demo True", StringComparison.Ordinal));
        Assert.Contains(gateway.Stdout.Concat(gateway.Stderr), l => l.Contains("Demo mode", StringComparison.Ordinal));

        gateway.Signal("INT");
        Assert.Equal(0, await gateway.WaitForExitAsync(Bound));
    }

    [Fact]
    public async Task Status_NoGateway_ExitsNonZeroWithOneLine()
    {
        using var status = FeedGuardProcess.Start(null, "status", "--url", $"http://127.0.0.1:{FeedGuardProcess.FreePort()}");

        Assert.Equal(1, await status.WaitForExitAsync(Bound));
        Assert.Contains("cannot reach a gateway", Assert.Single(status.Stderr), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "run", "--broker", "Foo" }, "--broker must be one of Emulator, SmartApi, Kite (got 'Foo')")]
    [InlineData(new[] { "run", "--feed-mode", "Turbo" }, "--feed-mode must be one of Ltp, Quote, Full (got 'Turbo')")]
    [InlineData(new[] { "run", "--no-such-flag" }, "--no-such-flag")]
    [InlineData(new[] { "run", "--instruments", "NSE:30-45" }, "FeedGuard:Instruments")]
    public async Task Run_BadFlagOrValue_ExitsNonZeroWithOneLineNamingIt(string[] args, string expected)
    {
        using var feedguard = FeedGuardProcess.Start(null, args);

        Assert.Equal(2, await feedguard.WaitForExitAsync(Bound));
        Assert.Contains(expected, Assert.Single(feedguard.Stderr, l => l.StartsWith("feedguard:", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.DoesNotContain(feedguard.Stderr, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_BadEnvironmentVariable_ExitsNonZeroNamingTheKey()
    {
        using var feedguard = FeedGuardProcess.Start(new Dictionary<string, string> { ["FeedGuard__HeartbeatThreshold"] = "30" }, "run", "--urls", "http://127.0.0.1:0");

        Assert.Equal(2, await feedguard.WaitForExitAsync(Bound));
        Assert.Contains("FeedGuard:HeartbeatThreshold must be a duration written hh:mm:ss", Assert.Single(feedguard.Stderr, l => l.StartsWith("feedguard:", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    private static List<JsonElement> Lines(FeedGuardProcess process, string type) =>
        [.. process.Stdout.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("type").GetString() == type)];
}
