using System.Text.Json;

namespace FeedGuard.Server.Tests.Api;

public sealed class StreamEndpointTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Stream_DeliversTicksForEveryInstrument_AndTheStatusChangeToPolling()
    {
        await _gateway.WaitForStatusAsync("streaming");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await _gateway.Http.GetAsync("api/stream", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        var instruments = new HashSet<string>();
        var sawPolling = false;
        var sawModeChange = false;
        var faultInjected = false;
        string? name = null;
        while (!(sawPolling && sawModeChange))
        {
            var line = await reader.ReadLineAsync(timeout.Token) ?? throw new Xunit.Sdk.XunitException("the stream ended");
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
                continue;
            }

            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            using var data = JsonDocument.Parse(line["data: ".Length..]);
            switch (name)
            {
                case "tick":
                    instruments.Add(data.RootElement.GetProperty("instrument").GetString()!);
                    Assert.True(data.RootElement.GetProperty("ltp").GetDecimal() > 0);
                    break;
                case "status":
                    sawPolling |= data.RootElement.GetProperty("status").GetString() == "polling";
                    break;
                case "event":
                    sawModeChange |= data.RootElement.GetProperty("type").GetString() == "mode_changed" && data.RootElement.GetProperty("to").GetString() == "polling";
                    break;
            }

            // Once every instrument has ticked, stall the stream and watch the page learn of it.
            if (!faultInjected && instruments.Count == 5)
            {
                faultInjected = true;
                await _gateway.InjectFaultAsync("""{"kind":"stall"}""");
            }
        }

        Assert.Equal(5, instruments.Count);
    }

    [Fact]
    public async Task Stream_ClientLeaving_DisposesItsSubscription()
    {
        await _gateway.WaitForStatusAsync("streaming");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        using (var response = await _gateway.Http.GetAsync("api/stream", HttpCompletionOption.ResponseHeadersRead, timeout.Token))
        {
            await Eventually.TrueAsync(async () => Subscribers(await _gateway.StatusAsync()).Any(s => s.StartsWith("sse-", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), () => "no SSE subscriber appeared");
        }

        await Eventually.TrueAsync(async () => !Subscribers(await _gateway.StatusAsync()).Any(s => s.StartsWith("sse-", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), () => "the SSE subscriber outlived its client");
    }

    private static IEnumerable<string> Subscribers(System.Text.Json.Nodes.JsonObject status) =>
        status["subscribers"]!.AsArray().Select(s => (string)s!["name"]!);
}
