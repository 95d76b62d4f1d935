using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FeedGuard.Server.Tests.Api;

public sealed class StatusApiTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Status_DemoMode_SeedFieldsFirstThenGatewayFields()
    {
        var status = await _gateway.WaitForStatusAsync("streaming");

        Assert.Equal(["mode", "status", "last_tick_age", "reconnect_attempts", "connection_active"], status.Select(p => p.Key).Take(5));
        Assert.Equal("streaming", (string?)status["mode"]);
        Assert.Equal(0, (int)status["reconnect_attempts"]!);
        Assert.True((bool)status["connection_active"]!);
        Assert.Equal("emulator", (string?)status["broker"]);
        Assert.True((bool)status["demo"]!);
        Assert.Equal("ltp", (string?)status["feed_mode"]);
        Assert.True((bool)status["fault_injection"]!);
        Assert.Equal(
            ["NSE:3045:SBIN", "NSE:2885:RELIANCE", "NSE:1594:INFY", "NSE:11536:TCS", "NSE:1333:HDFCBANK"],
            status["instruments"]!.AsArray().Select(i => $"{i!["instrument"]}:{i["symbol"]}"));
    }

    [Fact]
    public async Task Instruments_LatestTickPerInstrument_WithPriceSourceAgeAndChange()
    {
        await _gateway.WaitForStatusAsync("streaming");
        JsonArray rows = [];
        await Eventually.TrueAsync(async () =>
        {
            rows = (await _gateway.Http.GetFromJsonAsync<JsonArray>("api/instruments"))!;
            return rows.All(r => r!["last_price"] is not null && r["change"] is not null);
        }, TimeSpan.FromSeconds(10), () => $"not every instrument has a price and a change: {rows.ToJsonString()}");

        Assert.Equal(5, rows.Count);
        foreach (var row in rows)
        {
            Assert.Equal("stream", (string?)row!["source"]);
            Assert.Equal("first_seen", (string?)row["change_basis"]);
            Assert.False((bool)row["stale"]!);
            Assert.True((double)row["age_seconds"]! < 2);
            Assert.True((decimal)row["last_price"]! > 0);
            Assert.NotNull((string?)row["exchange_time"]);
        }

        Assert.Equal("NSE/3045/SBIN", $"{rows[0]!["exchange"]}/{rows[0]!["token"]}/{rows[0]!["symbol"]}");
    }

    [Fact]
    public async Task Events_ListTheModeChangeToStreaming_AndRejectABadLimit()
    {
        await _gateway.WaitForStatusAsync("streaming");

        var events = (await _gateway.Http.GetFromJsonAsync<JsonArray>("api/events?limit=10"))!;
        var change = Assert.Single(events, e => (string?)e!["type"] == "mode_changed");
        Assert.Equal("connecting", (string?)change!["from"]);
        Assert.Equal("streaming", (string?)change["to"]);
        Assert.Equal(1, (long)change["sequence"]!);

        using var bad = await _gateway.Http.GetAsync("api/events?limit=abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("limit", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ContainTheFeedsCountersAndInstruments()
    {
        await _gateway.WaitForStatusAsync("streaming");
        var text = "";
        await Eventually.TrueAsync(async () =>
        {
            text = await _gateway.Http.GetStringAsync("metrics");
            return text.Split('\n').Any(l => l.StartsWith("feedguard_ticks_received_total{", StringComparison.Ordinal) && l.Contains("source=\"stream\"", StringComparison.Ordinal) && !l.EndsWith(" 0", StringComparison.Ordinal))
                && text.Contains("instrument=\"NSE:1333\"", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10), () => $"metrics lack the stream counter or an instrument:\n{text}");

        // OpenTelemetry listens to every meter of that name in the process, so gateways that other
        // test classes run at the same time may add series of their own: ours must be among them.
        var received = text.Split('\n').Where(l => l.StartsWith("feedguard_ticks_received_total{", StringComparison.Ordinal) && l.Contains("source=\"stream\"", StringComparison.Ordinal)).ToList();
        Assert.Contains(received, line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("feedguard_mode{", text, StringComparison.Ordinal);
        Assert.Contains("feedguard_instrument_last_tick_age_seconds{", text, StringComparison.Ordinal);
        Assert.Contains("symbol=\"SBIN\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ServesThePageAtTheRoot()
    {
        var page = await _gateway.Http.GetStringAsync("/");

        Assert.Contains("/api/status", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ServesItsVendoredChartLibraryAndLicence()
    {
        using var library = await _gateway.Http.GetAsync("lib/lightweight-charts.standalone.production.mjs");
        Assert.Equal(HttpStatusCode.OK, library.StatusCode);
        Assert.Equal("text/javascript", library.Content.Headers.ContentType?.MediaType);

        Assert.Contains("Apache License", await _gateway.Http.GetStringAsync("lib/LICENSE.txt"), StringComparison.Ordinal);
        Assert.Contains("TradingView", await _gateway.Http.GetStringAsync("lib/NOTICE.txt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Faults_ClearAfterAuthReject_TheFeedResumesInsteadOfStayingInError()
    {
        await _gateway.WaitForStatusAsync("streaming");
        await _gateway.InjectFaultAsync("""{"kind":"auth-reject"}""");
        await _gateway.InjectFaultAsync("""{"kind":"drop"}""");
        var error = await _gateway.WaitForStatusAsync("error");
        Assert.True((bool)error["auth_blocked"]!);
        Assert.Equal("auth_rejected", (string?)error["last_error"]!["reason"]);

        using var cleared = await _gateway.Http.DeleteAsync("api/emulator/faults");
        Assert.True(cleared.IsSuccessStatusCode);

        var streaming = await _gateway.WaitForStatusAsync("streaming", TimeSpan.FromSeconds(20));
        Assert.False((bool)streaming["auth_blocked"]!);
    }

    [Fact]
    public async Task Faults_RejectAnUnknownKind_WithTheEmulatorsMessage()
    {
        using var response = await _gateway.Http.PostAsync("api/emulator/faults", new StringContent("""{"kind":"meteor"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("stall", body.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
