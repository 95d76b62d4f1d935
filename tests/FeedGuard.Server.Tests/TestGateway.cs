using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FeedGuard.Server.Tests;

/// <summary>The real gateway, in-process on a free loopback port, in demo mode with thresholds short enough for tests.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    /// <summary>Seconds, not the defaults' tens of seconds: a stall is noticed in about two.</summary>
    public static readonly IReadOnlyDictionary<string, string?> ShortThresholds = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["FeedGuard:HeartbeatThreshold"] = "00:00:02",
        ["FeedGuard:FrameTimeout"] = "00:00:02",
        ["FeedGuard:PromoteWindow"] = "00:00:01",
        ["FeedGuard:ReconnectBaseDelay"] = "00:00:00.2",
        ["FeedGuard:ReconnectCooldown"] = "00:00:01",
        ["FeedGuard:ConnectingGracePeriod"] = "00:00:05",

        // Equal on purpose: the default 10 s / 10 s pair once raced and condemned live sockets.
        ["FeedGuard:SmartApi:PingInterval"] = "00:00:01",
        ["FeedGuard:SmartApi:PongTimeout"] = "00:00:01",

        // Above the emulator's 1 s idle heartbeat; the feed's 2 s frame timeout sees a stall first anyway.
        ["FeedGuard:Kite:HeartbeatTimeout"] = "00:00:01.5",
        ["FeedGuard:Emulator:TicksPerSecond"] = "10",
    };

    private TestGateway(WebApplication app, Uri baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
    }

    public WebApplication App { get; }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public static async Task<TestGateway> StartAsync(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(ShortThresholds);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = GatewayHost.Build(new RunSettings { Urls = "http://127.0.0.1:0", IsolatedConfiguration = true, Overrides = settings });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestGateway(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async Task<JsonObject> StatusAsync() => (await Http.GetFromJsonAsync<JsonObject>("api/status"))!;

    public async Task<JsonObject> WaitForStatusAsync(string status, TimeSpan? within = null)
    {
        JsonObject? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = await StatusAsync();
            return (string?)last["status"] == status;
        }, within ?? TimeSpan.FromSeconds(15), () => $"status never became '{status}'; last: {last?.ToJsonString()}");
        return last!;
    }

    public async Task InjectFaultAsync(string json)
    {
        using var response = await Http.PostAsync("api/emulator/faults", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"fault {json} was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<(int Code, JsonDocument Body)> HealthAsync()
    {
        using var response = await Http.GetAsync("healthz");
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
