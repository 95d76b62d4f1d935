using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using FeedGuard.Emulator;
using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.SmartApi;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>Each fault's behaviour as a client sees it on the wire.</summary>
public sealed class FaultInjectionTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    private static Task<BrokerEmulator> StartAsync() => Wire.StartAsync(new EmulatorOptions
    {
        TicksPerSecond = 50,
        SmartApi = new SmartApiEmulatorOptions { QuoteRequestsPerSecond = 0 },
    });

    private static async Task<RawWebSocketClient> SubscribedRawAsync(BrokerEmulator emulator)
    {
        var raw = await RawWebSocketClient.ConnectAsync(emulator.SmartStreamUrl, SmartStreamEndpointTests.AuthHeaders(emulator));
        await raw.SendAsync(RawWebSocketClient.Text, Encoding.UTF8.GetBytes(Wire.Subscribe(1, 1, "3045")));
        await raw.ReadUntilAsync((op, _) => op == RawWebSocketClient.Binary);
        return raw;
    }

    [Fact]
    public async Task Drop_ResetsTheTcpConnectionWithoutACloseFrame()
    {
        await using var emulator = await StartAsync();
        using var raw = await SubscribedRawAsync(emulator);

        emulator.Faults.Inject(new FaultSpec(FaultKind.Drop));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => raw.ReadUntilAsync((op, _) => op == RawWebSocketClient.Close));
        var socketError = Assert.IsType<SocketException>(ex is IOException io ? io.InnerException : ex);
        Assert.Equal(SocketError.ConnectionReset, socketError.SocketErrorCode);
        Assert.Empty(emulator.Faults.Active);
    }

    [Fact]
    public async Task Drop_WithDuration_ResetsReconnectsUntilItEnds()
    {
        await using var emulator = await StartAsync();

        var fault = emulator.Faults.Inject(new FaultSpec(FaultKind.Drop) { Duration = TimeSpan.FromMinutes(1) });
        await Assert.ThrowsAsync<WebSocketException>(() => Wire.ConnectAsync(emulator));
        emulator.Faults.Clear(fault.Id);

        using var ws = await Wire.ConnectAsync(emulator);
        Assert.Equal(WebSocketState.Open, ws.State);
    }

    [Fact]
    public async Task ServerClose_SendsACloseFrame()
    {
        await using var emulator = await StartAsync();
        await using var client = await Wire.OpenAsync(emulator);

        emulator.Faults.Inject(new FaultSpec(FaultKind.ServerClose) { Message = "maintenance" });
        await client.WaitEndedAsync();

        Assert.Null(client.Failure);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.Socket.CloseStatus);
        Assert.Equal("maintenance", client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Stall_SendsNothingAndAnswersNoPing_UntilCleared()
    {
        await using var emulator = await StartAsync();
        using var raw = await SubscribedRawAsync(emulator);

        var stall = emulator.Faults.Inject(new FaultSpec(FaultKind.Stall));
        await raw.DrainAsync(Quiet);
        await raw.SendAsync(RawWebSocketClient.Text, "ping"u8.ToArray());
        await raw.SendAsync(RawWebSocketClient.Ping, "ping"u8.ToArray());

        Assert.Null(await raw.ReadFrameAsync(TimeSpan.FromMilliseconds(500)));

        emulator.Faults.Clear(stall.Id);
        await raw.ReadUntilAsync((op, p) => op == RawWebSocketClient.Pong && p.AsSpan().SequenceEqual("ping"u8));
    }

    [Fact]
    public async Task Mute_StopsTicksButKeepsAnsweringPings()
    {
        await using var emulator = await StartAsync();
        using var raw = await SubscribedRawAsync(emulator);

        var mute = emulator.Faults.Inject(new FaultSpec(FaultKind.MuteData));
        await raw.DrainAsync(Quiet);
        await raw.SendAsync(RawWebSocketClient.Text, "ping"u8.ToArray());
        await raw.SendAsync(RawWebSocketClient.Ping, "abc"u8.ToArray());

        // The control PONG and the text pong travel different paths, so either may come first.
        var replies = new List<(byte, string)>();
        for (var i = 0; i < 2; i++)
        {
            var frame = await raw.ReadFrameAsync(Wire.Bound);
            replies.Add((frame!.Value.Opcode, Encoding.ASCII.GetString(frame.Value.Payload)));
        }

        Assert.Equal([(RawWebSocketClient.Pong, "abc"), (RawWebSocketClient.Text, "pong")], replies.OrderByDescending(r => r.Item1));
        Assert.Null(await raw.ReadFrameAsync(Quiet));
        Assert.True(emulator.Counters.PacketsMuted > 0);

        emulator.Faults.Clear(mute.Id);
        await raw.ReadUntilAsync((op, p) => op == RawWebSocketClient.Binary && p.Length == 51);
    }

    [Fact]
    public async Task Malformed_SendsPacketsWithAnInvalidModeByte()
    {
        await using var emulator = await StartAsync();
        await using var client = await Wire.OpenAsync(emulator);
        await client.SendTextAsync(Wire.Subscribe(1, 1, "3045"));

        emulator.Faults.Inject(new FaultSpec(FaultKind.Malformed) { Rate = 1.0 });

        var (_, bad) = await client.ReceiveUntilAsync((t, d) => t == WebSocketMessageType.Binary && d[0] is < 1 or > 4);
        Assert.Equal(51, bad.Length);
        Assert.True(emulator.Counters.MalformedSent > 0);
    }

    [Fact]
    public async Task Truncated_SendsPacketsShorterThanTheirMode()
    {
        await using var emulator = await StartAsync();
        await using var client = await Wire.OpenAsync(emulator);
        await client.SendTextAsync(Wire.Subscribe(3, 1, "3045"));

        emulator.Faults.Inject(new FaultSpec(FaultKind.Truncated) { Rate = 1.0 });

        await client.ReceiveUntilAsync((t, d) => t == WebSocketMessageType.Binary && d.Length < 379);
        Assert.True(emulator.Counters.TruncatedSent > 0);
    }

    [Fact]
    public async Task AuthReject_Is401OnHandshakeAndInvalidTokenOnRest()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.Inject(new FaultSpec(FaultKind.AuthReject));

        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        Wire.Authorize(ws.Options, emulator.Options.SmartApi);
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(emulator.SmartStreamUrl, CancellationToken.None));
        using var rest = await SmartRestEndpointTests.PostQuoteAsync(emulator, """{"mode":"LTP","exchangeTokens":{"NSE":["3045"]}}""");

        Assert.Equal(HttpStatusCode.Unauthorized, ws.HttpStatusCode);
        Assert.Equal("Invalid Header - Invalid Auth token", Assert.Single(ws.HttpResponseHeaders!["x-error-message"]));
        Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
        using var json = JsonDocument.Parse(await rest.Content.ReadAsStringAsync());
        Assert.False(json.RootElement.GetProperty("status").GetBoolean());
    }

    [Fact]
    public async Task RateLimit_Is429OnHandshakeAnd403TextOnRest()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.Inject(new FaultSpec(FaultKind.RateLimit));

        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        Wire.Authorize(ws.Options, emulator.Options.SmartApi);
        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(emulator.SmartStreamUrl, CancellationToken.None));
        using var rest = await SmartRestEndpointTests.PostQuoteAsync(emulator, """{"mode":"LTP","exchangeTokens":{"NSE":["3045"]}}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, ws.HttpStatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
        Assert.Equal("Access denied because of exceeding access rate", await rest.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RestError_AnswersTheConfiguredStatus_AndStreamIsUnaffected()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.Inject(new FaultSpec(FaultKind.RestError) { StatusCode = 503 });

        using var rest = await SmartRestEndpointTests.PostQuoteAsync(emulator, """{"mode":"LTP","exchangeTokens":{"NSE":["3045"]}}""");
        using var ws = await Wire.ConnectAsync(emulator);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, rest.StatusCode);
        Assert.Equal(WebSocketState.Open, ws.State);
    }

    [Fact]
    public async Task RestSlow_DelaysTheAnswer()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.Inject(new FaultSpec(FaultKind.RestSlow) { Delay = TimeSpan.FromMilliseconds(400) });

        var sw = Stopwatch.StartNew();
        using var rest = await SmartRestEndpointTests.PostQuoteAsync(emulator, """{"mode":"LTP","exchangeTokens":{"NSE":["3045"]}}""");

        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(390), $"answered after {sw.Elapsed}");
    }

    [Fact]
    public async Task Flap_DropsEveryIntervalAndReconnectsSucceedInBetween()
    {
        await using var emulator = await StartAsync();
        emulator.Faults.Inject(new FaultSpec(FaultKind.Flap) { Interval = TimeSpan.FromMilliseconds(200) });

        for (var round = 0; round < 2; round++)
        {
            await using var client = await Wire.OpenAsync(emulator);
            await client.WaitEndedAsync();
            Assert.IsType<WebSocketException>(client.Failure);
        }
    }

    [Fact]
    public async Task FaultWithDuration_ExpiresByItself()
    {
        await using var emulator = await StartAsync();

        emulator.Faults.Inject(new FaultSpec(FaultKind.MuteData) { Duration = TimeSpan.FromMilliseconds(200) });
        Assert.True(emulator.Faults.IsActive(FaultKind.MuteData, EmulatorBrokers.SmartApi));

        await Wire.WaitUntilAsync(() => emulator.Faults.Active.Count == 0, "the fault expires");
    }

    [Fact]
    public async Task HttpApi_InjectsListsAndClearsFaults()
    {
        await using var emulator = await StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.BaseUrl };

        using var created = await http.PostAsync("emulator/faults", new StringContent("""{"kind":"malformed","rate":0.5,"durationSeconds":60}""", Encoding.UTF8, "application/json"));
        using var bad = await http.PostAsync("emulator/faults", new StringContent("""{"kind":"meteor"}""", Encoding.UTF8, "application/json"));
        var listed = await http.GetStringAsync("emulator/faults");
        using var cleared = await http.DeleteAsync("emulator/faults");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        Assert.Equal("malformed", body.RootElement.GetProperty("kind").GetString());
        Assert.Equal(0.5, body.RootElement.GetProperty("rate").GetDouble());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("meteor", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var list = JsonDocument.Parse(listed);
        Assert.Equal(1, list.RootElement.GetProperty("faults").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Empty(emulator.Faults.Active);
    }

    [Theory]
    [InlineData("close", "server-close")]
    [InlineData("auth", "auth-reject")]
    [InlineData("Server_Close", "server-close")]
    [InlineData("MUTE", "mute")]
    public async Task HttpApi_AcceptsAliasesAndAnyCase(string typed, string kind)
    {
        await using var emulator = await StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.BaseUrl };

        using var created = await http.PostAsync("emulator/faults", new StringContent($$"""{"kind":"{{typed}}","durationSeconds":60}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        Assert.Equal(kind, body.RootElement.GetProperty("kind").GetString());
    }
}
