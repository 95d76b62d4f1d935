using System.Text.Json;

namespace FeedGuard.Server.Tests.Api;

public sealed class HealthTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Healthz_StreamingHealthy_StallDegradedWhilePricesMove_ClearHealthyAgain()
    {
        await _gateway.WaitForStatusAsync("streaming");
        await AssertHealthAsync(200, "Healthy");

        await _gateway.InjectFaultAsync("""{"kind":"stall"}""");
        var polling = await _gateway.WaitForStatusAsync("polling", TimeSpan.FromSeconds(10));
        await AssertHealthAsync(200, "Degraded");
        var pollTicks = (long)polling["counters"]!["received_poll"]!;
        await Eventually.TrueAsync(
            async () => (long)(await _gateway.StatusAsync())["counters"]!["received_poll"]! > pollTicks,
            TimeSpan.FromSeconds(10),
            () => "polling delivered no prices while the stream was stalled");

        using (await _gateway.Http.DeleteAsync("api/emulator/faults"))
        {
        }

        await _gateway.WaitForStatusAsync("streaming", TimeSpan.FromSeconds(15));
        await AssertHealthAsync(200, "Healthy");
    }

    [Fact]
    public async Task Healthz_AuthRejected_Unhealthy()
    {
        await _gateway.WaitForStatusAsync("streaming");

        await _gateway.InjectFaultAsync("""{"kind":"auth-reject"}""");
        await _gateway.InjectFaultAsync("""{"kind":"drop"}""");

        var error = await _gateway.WaitForStatusAsync("error", TimeSpan.FromSeconds(10));
        Assert.Equal("auth_rejected", (string?)error["last_error"]!["reason"]);
        Assert.True((bool)error["auth_blocked"]!);
        await AssertHealthAsync(503, "Unhealthy");
    }

    private async Task AssertHealthAsync(int code, string status)
    {
        var (actualCode, body) = await _gateway.HealthAsync();
        using (body)
        {
            Assert.True(code == actualCode && body.RootElement.GetProperty("status").GetString() == status, $"expected {code} {status}, got {actualCode} {body.RootElement}");
            Assert.Equal(JsonValueKind.String, body.RootElement.GetProperty("checks").GetProperty("feedguard").GetProperty("description").ValueKind);
        }
    }
}
