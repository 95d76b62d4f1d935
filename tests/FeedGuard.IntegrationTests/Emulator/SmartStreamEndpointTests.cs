using System.Net;
using System.Net.WebSockets;
using System.Text;
using FeedGuard.Emulator;
using FeedGuard.Emulator.SmartApi;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>The SmartStream endpoint over real loopback sockets: handshake, heartbeat, subscriptions, packets.</summary>
public sealed class SmartStreamEndpointTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Handshake_StrictWithAllFourHeaders_Upgrades(bool bearer)
    {
        await using var emulator = await Wire.StartAsync();

        using var ws = await Wire.ConnectAsync(emulator, o => Wire.Authorize(o, emulator.Options.SmartApi, bearer));

        Assert.Equal(WebSocketState.Open, ws.State);
        await Wire.WaitUntilAsync(() => emulator.Counters.ConnectionsOpen == 1, "the emulator counts the socket");
    }

    [Theory]
    [InlineData("Authorization", "Invalid Header - Invalid Auth token")]
    [InlineData("x-api-key", "Invalid Header - Invalid API Key")]
    [InlineData("x-client-code", "Invalid Header - Invalid Client Code")]
    [InlineData("x-feed-token", "Invalid Header - Invalid Feed Token")]
    public async Task Handshake_StrictWithOneBadHeader_Is401WithDocumentedMessage(string header, string message)
    {
        await using var emulator = await Wire.StartAsync();
        using var ws = new ClientWebSocket();
        ws.Options.CollectHttpResponseDetails = true;
        Wire.Authorize(ws.Options, emulator.Options.SmartApi);
        ws.Options.SetRequestHeader(header, "wrong");

        await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(emulator.SmartStreamUrl, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, ws.HttpStatusCode);
        Assert.Equal(message, Assert.Single(ws.HttpResponseHeaders!["x-error-message"]));
    }

    [Fact]
    public async Task Handshake_StrictMissingJwt_Is401ButLenientAcceptsClientCodeAndFeedTokenOnly()
    {
        var creds = new SmartApiEmulatorOptions();
        void JavaSdkHeaders(ClientWebSocketOptions o)
        {
            o.CollectHttpResponseDetails = true;
            o.SetRequestHeader("x-client-code", creds.ClientCode);
            o.SetRequestHeader("x-feed-token", creds.FeedToken);
        }

        await using (var strict = await Wire.StartAsync())
        {
            var ex = await Assert.ThrowsAsync<WebSocketException>(() => Wire.ConnectAsync(strict, JavaSdkHeaders));
            Assert.NotNull(ex);
        }

        await using var lenient = await Wire.StartAsync(new EmulatorOptions { SmartApi = creds with { AuthMode = SmartApiAuthMode.Lenient } });
        using var ws = await Wire.ConnectAsync(lenient, JavaSdkHeaders);
        Assert.Equal(WebSocketState.Open, ws.State);
    }

    [Fact]
    public async Task Handshake_QueryParameterForm_UpgradesInStrictMode()
    {
        await using var emulator = await Wire.StartAsync();
        var c = emulator.Options.SmartApi;
        using var ws = new ClientWebSocket();

        await ws.ConnectAsync(new Uri(emulator.SmartStreamUrl, $"?clientCode={c.ClientCode}&feedToken={c.FeedToken}&apiKey={c.ApiKey}"), CancellationToken.None);

        Assert.Equal(WebSocketState.Open, ws.State);
    }

    [Fact]
    public async Task Handshake_FourthSocketPerClientCode_Is429_AndFreedSlotIsReusable()
    {
        await using var emulator = await Wire.StartAsync();
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < 3; i++)
        {
            sockets.Add(await Wire.ConnectAsync(emulator));
        }

        using var fourth = new ClientWebSocket();
        fourth.Options.CollectHttpResponseDetails = true;
        Wire.Authorize(fourth.Options, emulator.Options.SmartApi);
        await Assert.ThrowsAsync<WebSocketException>(() => fourth.ConnectAsync(emulator.SmartStreamUrl, CancellationToken.None));
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.HttpStatusCode);

        await sockets[0].CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await Wire.WaitUntilAsync(() => emulator.Counters.ConnectionsOpen == 2, "the closed socket frees its slot");
        using var again = await Wire.ConnectAsync(emulator);
        Assert.Equal(WebSocketState.Open, again.State);
        foreach (var s in sockets)
        {
            s.Dispose();
        }
    }

    [Fact]
    public async Task TextPing_IsAnsweredWithExactlyPong_AndNothingUnsolicitedComesFirst()
    {
        await using var emulator = await Wire.StartAsync();
        await using var client = await Wire.OpenAsync(emulator);

        await client.SendTextAsync("ping");
        var reply = await client.ReceiveAsync(Wire.Bound);

        Assert.NotNull(reply);
        Assert.Equal(WebSocketMessageType.Text, reply.Value.Type);
        Assert.Equal("pong"u8.ToArray(), reply.Value.Data);
    }

    [Fact]
    public async Task ControlPing_IsAnsweredWithPongEchoingThePayload()
    {
        await using var emulator = await Wire.StartAsync();
        using var raw = await RawWebSocketClient.ConnectAsync(emulator.SmartStreamUrl, AuthHeaders(emulator));

        await raw.SendAsync(RawWebSocketClient.Ping, "ping"u8.ToArray());
        var frame = await raw.ReadFrameAsync(Wire.Bound);

        Assert.NotNull(frame);
        Assert.Equal(RawWebSocketClient.Pong, frame.Value.Opcode);
        Assert.Equal("ping"u8.ToArray(), frame.Value.Payload);
    }

    [Theory]
    [InlineData(1, 51)]
    [InlineData(2, 123)]
    [InlineData(3, 379)]
    public async Task Subscribe_EachMode_SendsOnePacketPerMessageOfExactSize(int mode, int size)
    {
        await using var emulator = await Wire.StartAsync();
        await using var client = await Wire.OpenAsync(emulator);

        await client.SendTextAsync(Wire.Subscribe(mode, 1, "3045", "2885"));

        var seen = new Dictionary<string, long>();
        while (seen.Count < 2 || seen.Values.Any(s => s < 3))
        {
            var (type, data) = await client.ReceiveUntilAsync((_, _) => true);
            Assert.Equal(WebSocketMessageType.Binary, type);
            Assert.Equal(size, data.Length);
            Assert.Equal(mode, data[0]);
            Assert.Equal(1, data[1]);
            var token = Wire.TokenOf(data);
            var sequence = Wire.Int64(data, 27);
            Assert.True(sequence > seen.GetValueOrDefault(token), "sequence numbers increase per token");
            Assert.Equal(0, Wire.Int64(data, 43) % 5);
            seen[token] = sequence;
        }

        Assert.Equal(["2885", "3045"], seen.Keys.Order());
        var sent = emulator.GetSentTicks(1, "3045");
        Assert.Contains(sent, t => t.Sequence == seen["3045"] && t.Mode == mode);
    }

    [Theory]
    [InlineData("not json", "")]
    [InlineData("""{"correlationID":"abc123","action":2,"params":{"mode":1,"tokenList":[{"exchangeType":1,"tokens":["3045"]}]}}""", "abc123")]
    [InlineData("""{"correlationID":"m9","action":1,"params":{"mode":9,"tokenList":[{"exchangeType":1,"tokens":["3045"]}]}}""", "m9")]
    [InlineData("""{"correlationID":"x6","action":1,"params":{"mode":1,"tokenList":[{"exchangeType":6,"tokens":["3045"]}]}}""", "x6")]
    [InlineData("""{"action":1,"params":{"mode":1,"tokenList":[{"exchangeType":1,"tokens":[3045]}]}}""", "")]
    public async Task Subscribe_BadPayload_SendsExactE1001Frame(string request, string correlationId)
    {
        await using var emulator = await Wire.StartAsync();
        await using var client = await Wire.OpenAsync(emulator);

        await client.SendTextAsync(request);
        var reply = await client.ReceiveAsync(Wire.Bound);

        Assert.NotNull(reply);
        Assert.Equal(WebSocketMessageType.Text, reply.Value.Type);
        Assert.Equal($$"""{"correlationID":"{{correlationId}}","errorCode":"E1001","errorMessage":"Invalid Request Payload."}""", Encoding.UTF8.GetString(reply.Value.Data));
    }

    [Fact]
    public async Task Subscribe_Past1000TokenModePairs_SendsExactE1002AndKeepsExistingSubscriptions()
    {
        await using var emulator = await Wire.StartAsync(new EmulatorOptions { TicksPerSecond = 0 });
        await using var client = await Wire.OpenAsync(emulator);
        var first = Enumerable.Range(1, 999).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        await client.SendTextAsync(Wire.Subscribe(1, 1, first));
        await Wire.WaitUntilAsync(() => emulator.Counters.Subscriptions == 999, "999 subscriptions are held");

        // The same tokens in another mode count again: 999 + 2 > 1000.
        await client.SendTextAsync(Wire.Subscribe(2, 1, "1", "2").Replace("\"t1\"", "\"over\"", StringComparison.Ordinal));
        var reply = await client.ReceiveAsync(Wire.Bound);

        Assert.NotNull(reply);
        Assert.Equal("""{"correlationID":"over","errorCode":"E1002","errorMessage":"Invalid Request. Subscription Limit Exceeded."}""", Encoding.UTF8.GetString(reply.Value.Data));
        Assert.Equal(999, emulator.Counters.Subscriptions);

        // A duplicate costs nothing, and one more pair still fits.
        await client.SendTextAsync(Wire.Subscribe(1, 1, "1", "5", "2000"));
        await Wire.WaitUntilAsync(() => emulator.Counters.Subscriptions == 1000, "the 1000th pair is accepted");
    }

    [Fact]
    public async Task Unsubscribe_StopsPacketsForThatToken()
    {
        await using var emulator = await Wire.StartAsync(new EmulatorOptions { TicksPerSecond = 50 });
        await using var client = await Wire.OpenAsync(emulator);
        await client.SendTextAsync(Wire.Subscribe(1, 1, "3045"));
        await client.ReceiveUntilAsync((t, d) => t == WebSocketMessageType.Binary);

        await client.SendTextAsync(Wire.Unsubscribe(1, 1, "3045"));
        await Wire.WaitUntilAsync(() => emulator.Counters.Subscriptions == 0, "the unsubscribe is applied");
        await client.SendTextAsync("ping");
        await client.ReceiveUntilAsync((t, d) => t == WebSocketMessageType.Text);
        var sentBefore = emulator.GetPacketsSent(1, "3045");

        // Ten tick periods of silence.
        Assert.Null(await client.ReceiveAsync(TimeSpan.FromMilliseconds(200)));
        Assert.Equal(sentBefore, emulator.GetPacketsSent(1, "3045"));
    }

    [Fact]
    public async Task Market_SameSeed_GivesTheSamePricePath()
    {
        await using var a = await Wire.StartAsync(new EmulatorOptions { Seed = 7, TicksPerSecond = 100 });
        await using var b = await Wire.StartAsync(new EmulatorOptions { Seed = 7, TicksPerSecond = 100 });
        await using var ca = await Wire.OpenAsync(a);
        await using var cb = await Wire.OpenAsync(b);
        await ca.SendTextAsync(Wire.Subscribe(1, 1, "3045"));
        await cb.SendTextAsync(Wire.Subscribe(1, 1, "3045"));

        await Wire.WaitUntilAsync(() => a.GetPacketsSent(1, "3045") >= 20 && b.GetPacketsSent(1, "3045") >= 20, "both emulators send 20 ticks");

        var pathA = a.GetSentTicks(1, "3045").ToDictionary(t => t.Sequence, t => t.LastTradedPrice);
        var pathB = b.GetSentTicks(1, "3045").ToDictionary(t => t.Sequence, t => t.LastTradedPrice);
        var common = pathA.Keys.Intersect(pathB.Keys).ToList();
        Assert.True(common.Count >= 10);
        Assert.All(common, s => Assert.Equal(pathA[s], pathB[s]));
    }

    internal static Dictionary<string, string> AuthHeaders(BrokerEmulator emulator)
    {
        var c = emulator.Options.SmartApi;
        return new()
        {
            ["Authorization"] = "Bearer " + c.JwtToken,
            ["x-api-key"] = c.ApiKey,
            ["x-client-code"] = c.ClientCode,
            ["x-feed-token"] = c.FeedToken,
        };
    }
}
