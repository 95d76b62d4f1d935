using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using FeedGuard.Emulator;
using FeedGuard.Emulator.Faults;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>Each fault on the Kite endpoint, as a Kite client sees it on the wire, scoped with <c>broker: "kite"</c>.</summary>
public sealed class KiteFaultInjectionTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    private static FaultSpec Kite(FaultKind kind) => new(kind) { Broker = EmulatorBrokers.Kite };

    private static async Task<RawWebSocketClient> SubscribedRawAsync(BrokerEmulator emulator)
    {
        var raw = await KiteWire.OpenRawAsync(emulator);
        await raw.SendAsync(RawWebSocketClient.Text, Encoding.UTF8.GetBytes(KiteWire.Subscribe(KiteWire.Infy)));
        await raw.ReadUntilAsync((op, p) => op == RawWebSocketClient.Binary && p.Length > 1);
        return raw;
    }

    [Fact]
    public async Task Drop_ResetsKiteSocketsOnly()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 50);
        using var raw = await SubscribedRawAsync(emulator);
        await using var smart = await Wire.OpenAsync(emulator);

        emulator.Faults.Inject(Kite(FaultKind.Drop));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => raw.ReadUntilAsync((op, _) => op == RawWebSocketClient.Close));
        var socketError = Assert.IsType<SocketException>(ex is IOException io ? io.InnerException : ex);
        Assert.Equal(SocketError.ConnectionReset, socketError.SocketErrorCode);
        Assert.Equal(WebSocketState.Open, smart.Socket.State);
        Assert.False(smart.Ended);
    }

    [Fact]
    public async Task Drop_WithDuration_ResetsHandshakesUntilCleared()
    {
        await using var emulator = await KiteWire.StartAsync();

        var fault = emulator.Faults.Inject(Kite(FaultKind.Drop) with { Duration = TimeSpan.FromMinutes(1) });
        await Assert.ThrowsAsync<WebSocketException>(() => KiteWire.ConnectAsync(KiteWire.StreamUrl(emulator)));
        emulator.Faults.Clear(fault.Id);

        using var ws = await KiteWire.ConnectAsync(KiteWire.StreamUrl(emulator));
        Assert.Equal(WebSocketState.Open, ws.State);
    }

    [Fact]
    public async Task ServerClose_SendsACloseFrame()
    {
        await using var emulator = await KiteWire.StartAsync();
        await using var client = await KiteWire.OpenAsync(emulator);
        await Wire.WaitUntilAsync(() => emulator.Counters.ConnectionsOpen == 1, "the socket is registered");

        emulator.Faults.Inject(Kite(FaultKind.ServerClose) with { Message = "maintenance" });
        await client.WaitEndedAsync();

        Assert.Null(client.Failure);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, client.Socket.CloseStatus);
        Assert.Equal("maintenance", client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Stall_SilencesTicksHeartbeatsAndPongs_UntilCleared()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 50);
        using var raw = await SubscribedRawAsync(emulator);

        var stall = emulator.Faults.Inject(Kite(FaultKind.Stall));
        await raw.DrainAsync(Quiet);
        await raw.SendAsync(RawWebSocketClient.Ping, "ping"u8.ToArray());

        // Longer than the 1-s heartbeat interval: not even a heartbeat comes.
        Assert.Null(await raw.ReadFrameAsync(TimeSpan.FromMilliseconds(1500)));

        emulator.Faults.Clear(stall.Id);
        await raw.ReadUntilAsync((op, p) => op == RawWebSocketClient.Pong && p.AsSpan().SequenceEqual("ping"u8));
        await raw.ReadUntilAsync((op, p) => op == RawWebSocketClient.Binary);
    }

    [Fact]
    public async Task Mute_StopsTicksButHeartbeatsAndPongsContinue()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 50);
        using var raw = await SubscribedRawAsync(emulator);

        var mute = emulator.Faults.Inject(Kite(FaultKind.MuteData));
        await raw.DrainAsync(Quiet);
        await raw.SendAsync(RawWebSocketClient.Ping, "abc"u8.ToArray());

        var frames = new List<(byte Opcode, byte[] Payload)>();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromMilliseconds(1500))
        {
            if (await raw.ReadFrameAsync(TimeSpan.FromMilliseconds(1500) - sw.Elapsed) is { } f)
            {
                frames.Add(f);
            }
        }

        Assert.Contains(frames, f => f.Opcode == RawWebSocketClient.Pong && f.Payload.AsSpan().SequenceEqual("abc"u8));
        Assert.Contains(frames, f => f.Opcode == RawWebSocketClient.Binary);
        Assert.All(frames.Where(f => f.Opcode == RawWebSocketClient.Binary), f => Assert.Equal([0], f.Payload));
        Assert.True(emulator.Counters.PacketsMuted > 0);

        emulator.Faults.Clear(mute.Id);
        await raw.ReadUntilAsync((op, p) => op == RawWebSocketClient.Binary && p.Length > 1);
    }

    [Fact]
    public async Task Malformed_SendsFramesNoDecoderAccepts()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 50);
        await using var client = await KiteWire.OpenAsync(emulator);
        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.Infy, KiteWire.Nifty50));
        await client.ReceiveUntilAsync(KiteWire.IsTickFrame);

        emulator.Faults.Inject(Kite(FaultKind.Malformed));

        // Frames queued before the fault took hold may still arrive intact: wait for the first bad one.
        await client.ReceiveUntilAsync((type, data) => KiteWire.IsTickFrame(type, data) && !Parses(data));
        for (var i = 0; i < 10; i++)
        {
            var (_, frame) = await client.ReceiveUntilAsync(KiteWire.IsTickFrame);
            Assert.Throws<FormatException>(() => KiteWire.Packets(frame));
        }

        Assert.True(emulator.Counters.MalformedSent >= 10);
    }

    [Fact]
    public async Task Truncated_CutsFramesShort()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 50);
        await using var client = await KiteWire.OpenAsync(emulator);
        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.Infy));
        await client.SendTextAsync(KiteWire.Mode("full", KiteWire.Infy));
        await client.ReceiveUntilAsync(KiteWire.IsTickFrame);

        emulator.Faults.Inject(Kite(FaultKind.Truncated));
        await client.ReceiveUntilAsync((type, data) => KiteWire.IsTickFrame(type, data) && !Parses(data));
        for (var i = 0; i < 5; i++)
        {
            var (_, frame) = await client.ReceiveUntilAsync(KiteWire.IsTickFrame);
            Assert.InRange(frame.Length, 3, 187);
            Assert.Throws<FormatException>(() => KiteWire.Packets(frame));
        }

        Assert.True(emulator.Counters.TruncatedSent >= 5);
    }

    [Fact]
    public async Task AuthReject_Is403TokenExceptionOnHandshakeAndRest()
    {
        await using var emulator = await KiteWire.StartAsync();
        emulator.Faults.Inject(Kite(FaultKind.AuthReject));

        var (status, body) = await KiteWire.HandshakeAsync(KiteWire.StreamUrl(emulator));
        using var rest = await KiteWire.GetAsync(emulator, "quote/ltp?i=NSE:INFY");

        Assert.Equal(403, status);
        Assert.Contains("\"error_type\":\"TokenException\"", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, rest.StatusCode);
        using var json = JsonDocument.Parse(await rest.Content.ReadAsStringAsync());
        Assert.Equal("TokenException", json.RootElement.GetProperty("error_type").GetString());
    }

    [Fact]
    public async Task RateLimit_Is429OnHandshakeAndNetworkExceptionOnRest()
    {
        await using var emulator = await KiteWire.StartAsync();
        emulator.Faults.Inject(Kite(FaultKind.RateLimit));

        var (status, _) = await KiteWire.HandshakeAsync(KiteWire.StreamUrl(emulator));
        using var rest = await KiteWire.GetAsync(emulator, "quote/ltp?i=NSE:INFY");

        Assert.Equal(429, status);
        Assert.Equal((HttpStatusCode)429, rest.StatusCode);
        using var json = JsonDocument.Parse(await rest.Content.ReadAsStringAsync());
        Assert.Equal("NetworkException", json.RootElement.GetProperty("error_type").GetString());
    }

    [Theory]
    [InlineData(500, "GeneralException")]
    [InlineData(503, "NetworkException")]
    public async Task RestError_AnswersTheStatusWithAnEnvelope_AndTheStreamIsUnaffected(int statusCode, string errorType)
    {
        await using var emulator = await KiteWire.StartAsync();
        emulator.Faults.Inject(Kite(FaultKind.RestError) with { StatusCode = statusCode });

        using var rest = await KiteWire.GetAsync(emulator, "quote?i=NSE:INFY");
        using var ws = await KiteWire.ConnectAsync(KiteWire.StreamUrl(emulator));

        Assert.Equal(statusCode, (int)rest.StatusCode);
        using var json = JsonDocument.Parse(await rest.Content.ReadAsStringAsync());
        Assert.Equal(errorType, json.RootElement.GetProperty("error_type").GetString());
        Assert.Equal(WebSocketState.Open, ws.State);
    }

    [Fact]
    public async Task RestSlow_DelaysTheAnswer()
    {
        await using var emulator = await KiteWire.StartAsync();
        emulator.Faults.Inject(Kite(FaultKind.RestSlow) with { Delay = TimeSpan.FromMilliseconds(400) });

        var sw = Stopwatch.StartNew();
        using var rest = await KiteWire.GetAsync(emulator, "quote/ltp?i=NSE:INFY");

        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(390), $"answered after {sw.Elapsed}");
    }

    [Fact]
    public async Task Flap_DropsEveryIntervalAndReconnectsSucceedInBetween()
    {
        await using var emulator = await KiteWire.StartAsync();
        emulator.Faults.Inject(Kite(FaultKind.Flap) with { Interval = TimeSpan.FromMilliseconds(200) });

        for (var round = 0; round < 2; round++)
        {
            await using var client = await KiteWire.OpenAsync(emulator);
            await client.WaitEndedAsync();
            Assert.IsType<WebSocketException>(client.Failure);
        }
    }

    [Fact]
    public async Task SmartApiScopedFault_LeavesKiteAlone()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 50);
        await using var client = await KiteWire.OpenAsync(emulator);
        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.Infy));

        emulator.Faults.Inject(new FaultSpec(FaultKind.MuteData) { Broker = EmulatorBrokers.SmartApi });
        emulator.Faults.Inject(new FaultSpec(FaultKind.RateLimit) { Broker = EmulatorBrokers.SmartApi });
        await client.DrainAsync(TimeSpan.FromMilliseconds(1));

        var (_, frame) = await client.ReceiveUntilAsync(KiteWire.IsTickFrame);
        Assert.Single(KiteWire.Packets(frame));
        using var rest = await KiteWire.GetAsync(emulator, "quote/ltp?i=NSE:INFY");
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
    }

    [Fact]
    public async Task ScenarioAndHttpApi_TargetKiteWithTheBrokerField()
    {
        await using var emulator = await KiteWire.StartAsync();
        var scenario = EmulatorScenario.Parse("""{"steps":[{"atSeconds":0,"kind":"auth-reject","broker":"kite"}]}""");

        await emulator.PlayScenarioAsync(scenario, CancellationToken.None);
        Assert.True(emulator.Faults.IsActive(FaultKind.AuthReject, EmulatorBrokers.Kite));
        Assert.False(emulator.Faults.IsActive(FaultKind.AuthReject, EmulatorBrokers.SmartApi));
        Assert.Equal(403, (await KiteWire.HandshakeAsync(KiteWire.StreamUrl(emulator))).Status);
        emulator.Faults.ClearAll();

        using var http = new HttpClient { BaseAddress = emulator.BaseUrl };
        using var created = await http.PostAsync("emulator/faults", new StringContent("""{"kind":"rate-limit","broker":"kite"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(429, (await KiteWire.HandshakeAsync(KiteWire.StreamUrl(emulator))).Status);
        using var smart = await Wire.ConnectAsync(emulator);
        Assert.Equal(WebSocketState.Open, smart.State);
    }

    private static bool Parses(byte[] frame)
    {
        try
        {
            KiteWire.Packets(frame);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
