using System.Net.WebSockets;
using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Streaming;
using FeedGuard.SmartApi.Tests.Codec;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.SmartApi.Tests.Streaming;

public sealed class SmartApiStreamingSourceTests : IAsyncDisposable
{
    private static readonly SmartApiCredentials Credentials = new() { ApiKey = "key", ClientCode = "C1", JwtToken = "jwt", FeedToken = "feed" };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2023, 11, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly LoopbackConnector<SmartApiCredentials> _connector = new();
    private readonly RecordingObserver _observer = new();
    private readonly SmartApiOptions _options = new() { PingInterval = TimeSpan.FromSeconds(10), PongTimeout = TimeSpan.FromSeconds(5) };

    private static readonly InstrumentRegistry Registry = new([new InstrumentKey(Exchange.Nse, "3045"), new InstrumentKey(Exchange.Nfo, "57920")]);

    public ValueTask DisposeAsync() => _connector.DisposeAsync();

    private SmartApiStreamingSource Source(Func<SmartApiCredentials>? credentials = null) =>
        new(_options, credentials ?? (() => Credentials), _time, null, _connector);

    private async Task<(IStreamConnection Connection, LoopbackServerEnd Server)> ConnectOneAsync(FeedMode mode = FeedMode.Ltp)
    {
        var connection = await Source().ConnectAsync(new StreamRequest(Registry, mode), _observer, CancellationToken.None);
        var server = await _connector.NextServerAsync();
        await server.ReceiveTextAsync(); // the subscribe request
        return (connection, server);
    }

    [Fact]
    public async Task ConnectAsync_SubscribesEveryInstrumentInTheRequestedMode()
    {
        var connection = await Source().ConnectAsync(new StreamRequest(Registry, FeedMode.Full), _observer, CancellationToken.None);
        var server = await _connector.NextServerAsync();

        var subscribe = await server.ReceiveTextAsync();

        Assert.Equal(
            """{"correlationID":"feedguard1","action":1,"params":{"mode":3,"tokenList":[{"exchangeType":1,"tokens":["3045"]},{"exchangeType":2,"tokens":["57920"]}]}}""",
            subscribe);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task ConnectAsync_2500Instruments_OpensThreeSocketsEachWithItsShare()
    {
        var registry = SubscriptionPlannerTests.Instruments(2500);

        var connection = await Source().ConnectAsync(new StreamRequest(registry, FeedMode.Ltp), _observer, CancellationToken.None);

        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var server = await _connector.NextServerAsync();
            using var json = JsonDocument.Parse(await server.ReceiveTextAsync());
            var list = json.RootElement.GetProperty("params").GetProperty("tokenList")[0].GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!).ToList();
            Assert.InRange(list.Count, 833, 1000);
            tokens.AddRange(list);
        }

        Assert.Equal(registry.All.Select(i => i.Token).Order(), tokens.Order());
        Assert.Equal(3, _connector.SeenCredentials.Count);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_BinaryPacket_DeliversTheDecodedTickStampedWithTheClock()
    {
        var (connection, server) = await ConnectOneAsync();

        await server.SendBinaryAsync(SmartStreamVectors.Parse(SmartStreamVectors.Ltp));

        Assert.Equal("tick", await _observer.NextAsync());
        var tick = Assert.Single(_observer.Ticks);
        Assert.Same(Registry.All[0], tick.Instrument);
        Assert.Equal(582.10m, tick.LastPrice);
        Assert.Equal(TickSource.Stream, tick.Source);
        Assert.Equal(_time.GetUtcNow(), tick.ReceiveTime);

        // The same clock reading goes to the feed, which then needs none of its own.
        Assert.Equal(_time.GetTimestamp(), Assert.Single(_observer.ReceivedAt));
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_PacketSplitAcrossFrames_IsReassembledIntoOneTick()
    {
        var (connection, server) = await ConnectOneAsync();
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);

        // One message in three fragments: each read returns part of it.
        await server.Socket.SendAsync(packet.AsMemory(0, 10), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        await server.Socket.SendAsync(packet.AsMemory(10, 30), WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None);
        await server.Socket.SendAsync(packet.AsMemory(40), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);

        Assert.Equal("tick", await _observer.NextAsync());
        Assert.Equal(582.10m, Assert.Single(_observer.Ticks).LastPrice);
        Assert.Empty(_observer.Malformed);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_GarbageAndUnknownText_AreCountedMalformedAndTheLoopGoesOn()
    {
        var (connection, server) = await ConnectOneAsync();

        await server.SendBinaryAsync([9, 2, 3]);
        await server.SendTextAsync("hello");
        await server.SendBinaryAsync(new byte[10_000]);
        await server.SendBinaryAsync(SmartStreamVectors.Parse(SmartStreamVectors.Ltp));

        Assert.Equal("malformed", await _observer.NextAsync());
        Assert.Equal("malformed", await _observer.NextAsync());
        Assert.Equal("malformed", await _observer.NextAsync());
        Assert.Equal("tick", await _observer.NextAsync());
        Assert.Equal(
            ["smartapi: unknown packet mode", "smartapi: unexpected text frame", "smartapi: frame larger than any SmartStream packet"],
            _observer.Malformed);
        Assert.False(connection.Completion.IsCompleted);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_E1002_IsReportedAsAnErrorAboutTheSocketsInstruments()
    {
        var (connection, server) = await ConnectOneAsync();

        await server.SendTextAsync("""{"correlationID":"feedguard1","errorCode":"E1002","errorMessage":"Invalid Request. Subscription Limit Exceeded."}""");

        Assert.Equal("message", await _observer.NextAsync());
        var (kind, message, instruments) = Assert.Single(_observer.Messages);
        Assert.Equal(SourceMessageKind.Error, kind);
        Assert.Contains("E1002", message, StringComparison.Ordinal);
        Assert.Contains("Subscription Limit Exceeded", message, StringComparison.Ordinal);
        Assert.Equal(Registry.All, instruments);
        Assert.False(connection.Completion.IsCompleted);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Heartbeat_SendsTextPingAndCountsThePong()
    {
        var (connection, server) = await ConnectOneAsync();

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("ping", await server.ReceiveTextAsync());
        await server.SendTextAsync("pong");
        Assert.Equal("frame", await _observer.NextAsync());

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(connection.Completion.IsCompleted);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Heartbeat_NoFrameWithinPongTimeout_EndsWithNoPong()
    {
        var (connection, server) = await ConnectOneAsync();

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("ping", await server.ReceiveTextAsync());
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(connection.Completion.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        var ended = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DisconnectReason.NoPong, ended.Reason);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Heartbeat_TicksAnswerThePingToo()
    {
        var (connection, server) = await ConnectOneAsync();

        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("ping", await server.ReceiveTextAsync());
        await server.SendBinaryAsync(SmartStreamVectors.Parse(SmartStreamVectors.Ltp));
        Assert.Equal("tick", await _observer.NextAsync());
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(connection.Completion.IsCompleted);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task ServerCloseFrame_EndsWithClosedByServer()
    {
        var (connection, server) = await ConnectOneAsync();

        await server.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        var ended = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DisconnectReason.ClosedByServer, ended.Reason);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task AbruptDrop_EndsWithNetworkError()
    {
        var (connection, server) = await ConnectOneAsync();

        server.Drop();

        var ended = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DisconnectReason.NetworkError, ended.Reason);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task OneSocketEnding_EndsTheConnectionAndClosesTheOthers()
    {
        var registry = SubscriptionPlannerTests.Instruments(1500);
        var connection = await Source().ConnectAsync(new StreamRequest(registry, FeedMode.Ltp), _observer, CancellationToken.None);
        var first = await _connector.NextServerAsync();
        var second = await _connector.NextServerAsync();
        await first.ReceiveTextAsync();
        await second.ReceiveTextAsync();

        await first.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);

        var ended = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DisconnectReason.ClosedByServer, ended.Reason);
        var (type, _) = await second.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task ConnectAsync_OneSocketRejected_ThrowsTheMostDecisiveReasonAndClosesTheRest()
    {
        _connector.FailOn = n => n == 2 ? new FeedConnectionException(DisconnectReason.AuthRejected, "SmartStream rejected the credentials (HTTP 401): Invalid Header - Invalid Feed Token") : null;
        var registry = SubscriptionPlannerTests.Instruments(2500);

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(
            () => Source().ConnectAsync(new StreamRequest(registry, FeedMode.Ltp), _observer, CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.AuthRejected, ex.Reason);
        Assert.Contains("Invalid Feed Token", ex.Message, StringComparison.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            var server = await _connector.NextServerAsync();
            WebSocketMessageType type;
            do
            {
                (type, _) = await server.ReceiveAsync();
            }
            while (type != WebSocketMessageType.Close);
        }
    }

    [Fact]
    public async Task ConnectAsync_ReadsCredentialsAgainOnEveryConnect()
    {
        var jwt = "first";
        var source = Source(() => Credentials with { JwtToken = jwt });

        var one = await source.ConnectAsync(new StreamRequest(Registry, FeedMode.Ltp), _observer, CancellationToken.None);
        jwt = "refreshed";
        var two = await source.ConnectAsync(new StreamRequest(Registry, FeedMode.Ltp), _observer, CancellationToken.None);

        Assert.Equal(["first", "refreshed"], _connector.SeenCredentials.Select(c => c.JwtToken));
        await one.DisposeAsync();
        await two.DisposeAsync();
    }

    [Fact]
    public async Task ConnectAsync_MissingFeedToken_IsAuthRejectedNamingTheKey()
    {
        var ex = await Assert.ThrowsAsync<FeedConnectionException>(
            () => Source(() => Credentials with { FeedToken = "" }).ConnectAsync(new StreamRequest(Registry, FeedMode.Ltp), _observer, CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.AuthRejected, ex.Reason);
        Assert.Contains("FeedGuard:SmartApi:FeedToken", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_connector.SeenCredentials);
    }

    [Fact]
    public void Validate_3001Instruments_IsRefusedWithTheLimit()
    {
        var errors = Source().Validate(new StreamRequest(SubscriptionPlannerTests.Instruments(3001), FeedMode.Ltp));

        Assert.Contains(errors, e => e.Contains("3000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispose_ClosesWithACloseFrameAndCompletesWithNone()
    {
        var (connection, server) = await ConnectOneAsync();

        await connection.DisposeAsync();

        var (type, _) = await server.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(DisconnectReason.None, (await connection.Completion).Reason);
    }
}
