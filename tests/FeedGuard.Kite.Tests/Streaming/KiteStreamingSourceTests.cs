using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Kite.Streaming;
using FeedGuard.Kite.Tests.Codec;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Kite.Tests.Streaming;

public sealed class KiteStreamingSourceTests : IAsyncDisposable
{
    private static readonly KiteCredentials Credentials = new() { ApiKey = "api-key-secret", AccessToken = "access-token-secret" };
    private static readonly InstrumentRegistry Registry = KiteTickDecoderTests.Registry;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2023, 11, 15, 9, 0, 0, TimeSpan.Zero));
    private readonly LoopbackConnector<KiteCredentials> _connector = new();
    private readonly RecordingObserver _observer = new();
    private readonly RecordingLoggerFactory _logs = new();
    private readonly KiteOptions _options = new() { HeartbeatTimeout = TimeSpan.FromSeconds(5) };

    public ValueTask DisposeAsync() => _connector.DisposeAsync();

    internal static InstrumentRegistry Instruments(int count) =>
        new(Enumerable.Range(1, count).Select(i => new InstrumentKey(Exchange.Nse, ((i << 8) | 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "S" + i)));

    private KiteStreamingSource Source(Func<KiteCredentials>? credentials = null) =>
        new(_options, credentials ?? (() => Credentials), _time, _logs, _connector);

    private async Task<(IStreamConnection Connection, LoopbackServerEnd Server)> ConnectOneAsync(FeedMode mode = FeedMode.Full)
    {
        var connection = await Source().ConnectAsync(new StreamRequest(Registry, mode), _observer, CancellationToken.None);
        var server = await _connector.NextServerAsync();
        await server.ReceiveTextAsync(); // subscribe
        await server.ReceiveTextAsync(); // mode
        return (connection, server);
    }

    [Theory]
    [InlineData(FeedMode.Ltp, "ltp")]
    [InlineData(FeedMode.Quote, "quote")]
    [InlineData(FeedMode.Full, "full")]
    public async Task ConnectAsync_SubscribesNumericTokensThenSetsTheMode(FeedMode mode, string wireMode)
    {
        var connection = await Source().ConnectAsync(new StreamRequest(Registry, mode), _observer, CancellationToken.None);
        var server = await _connector.NextServerAsync();

        Assert.Equal("""{"a":"subscribe","v":[412931,408065,13368322,256265,1798]}""", await server.ReceiveTextAsync());
        Assert.Equal($$"""{"a":"mode","v":["{{wireMode}}",[412931,408065,13368322,256265,1798]]}""", await server.ReceiveTextAsync());
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task ConnectAsync_EveryConnectSubscribesAndSetsModesAfresh()
    {
        var source = Source();
        var first = await source.ConnectAsync(new StreamRequest(Registry, FeedMode.Ltp), _observer, CancellationToken.None);
        await first.DisposeAsync();

        var second = await source.ConnectAsync(new StreamRequest(Registry, FeedMode.Ltp), _observer, CancellationToken.None);

        for (var i = 0; i < 2; i++)
        {
            var server = await _connector.NextServerAsync();
            Assert.StartsWith("""{"a":"subscribe","v":[412931""", await server.ReceiveTextAsync(), StringComparison.Ordinal);
            Assert.StartsWith("""{"a":"mode","v":["ltp",[412931""", await server.ReceiveTextAsync(), StringComparison.Ordinal);
        }

        await second.DisposeAsync();
    }

    [Fact]
    public async Task ConnectAsync_7000Instruments_OpensThreeSocketsEachWithItsShareAndMode()
    {
        var registry = Instruments(7000);

        var connection = await Source().ConnectAsync(new StreamRequest(registry, FeedMode.Quote), _observer, CancellationToken.None);

        var tokens = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var server = await _connector.NextServerAsync();
            using var subscribe = JsonDocument.Parse(await server.ReceiveTextAsync());
            using var mode = JsonDocument.Parse(await server.ReceiveTextAsync());
            var list = subscribe.RootElement.GetProperty("v").EnumerateArray().Select(t => t.GetInt64()).ToList();
            Assert.InRange(list.Count, 2333, 3000);
            Assert.Equal("quote", mode.RootElement.GetProperty("v")[0].GetString());
            Assert.Equal(list, mode.RootElement.GetProperty("v")[1].EnumerateArray().Select(t => t.GetInt64()));
            tokens.AddRange(list);
        }

        Assert.Equal(registry.All.Select(i => long.Parse(i.Token, System.Globalization.CultureInfo.InvariantCulture)).Order(), tokens.Order());
        Assert.Equal(3, _connector.SeenCredentials.Count);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_FrameOfTwoPackets_IsHandedOnInOneCallStampedWithTheClock()
    {
        var (connection, server) = await ConnectOneAsync();

        await server.SendBinaryAsync(KiteVectors.Parse(KiteVectors.MixedLtpIndexQuote));

        Assert.Equal("tick", await _observer.NextAsync());
        var batch = Assert.Single(_observer.Batches);
        Assert.Equal(2, batch.Length);
        Assert.Equal(1574.05m, batch[0].LastPrice);
        Assert.Equal(19635.25m, batch[1].LastPrice);
        Assert.All(batch, t => Assert.Equal(TickSource.Stream, t.Source));
        Assert.All(batch, t => Assert.Equal(_time.GetUtcNow(), t.ReceiveTime));

        // The same clock reading goes to the feed, which then needs none of its own.
        Assert.Equal(_time.GetTimestamp(), Assert.Single(_observer.ReceivedAt));
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_3000FullPacketsInOneMessageSentInPieces_AreOneBatch()
    {
        var registry = Instruments(3000);
        var connection = await Source().ConnectAsync(new StreamRequest(registry, FeedMode.Full), _observer, CancellationToken.None);
        var server = await _connector.NextServerAsync();
        await server.ReceiveTextAsync();
        await server.ReceiveTextAsync();
        var packets = registry.All.Select(i =>
        {
            var packet = KiteVectors.Packet(KiteVectors.FullNfo);
            BinaryPrimitives.WriteUInt32BigEndian(packet, uint.Parse(i.Token, System.Globalization.CultureInfo.InvariantCulture));
            return packet;
        }).ToArray();
        var frame = KiteVectors.Frame(packets);
        Assert.Equal(2 + (3000 * 186), frame.Length);

        await server.SendBinaryInPiecesAsync(frame, 16 * 1024);

        Assert.Equal("tick", await _observer.NextAsync());
        var batch = Assert.Single(_observer.Batches);
        Assert.Equal(registry.All, batch.Select(t => t.Instrument));
        Assert.All(batch, t => Assert.Equal(22150.45m, t.LastPrice));
        Assert.Empty(_observer.Malformed);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_OneByteHeartbeat_CountsAsAFrame()
    {
        var (connection, server) = await ConnectOneAsync();

        await server.SendBinaryAsync([0x00]);

        Assert.Equal("frame", await _observer.NextAsync());
        Assert.Equal(1, _observer.Frames);
        Assert.Empty(_observer.Batches);
        Assert.Empty(_observer.Malformed);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_FrameWithABadPacket_DeliversTheGoodOnesAndReportsTheFrameOnce()
    {
        var (connection, server) = await ConnectOneAsync();
        var unknown = KiteVectors.Packet(KiteVectors.LtpCds);
        unknown[3] = 0x01;
        var frame = KiteVectors.Frame(unknown, KiteVectors.Packet(KiteVectors.QuoteNse), new byte[13]);

        await server.SendBinaryAsync(frame);

        Assert.Equal("tick", await _observer.NextAsync());
        Assert.Equal("malformed", await _observer.NextAsync());
        Assert.Equal(1574.05m, Assert.Single(Assert.Single(_observer.Batches)).LastPrice);
        Assert.Equal(["kite: token not subscribed"], _observer.Malformed);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_GarbageAndOtherText_AreMalformedAndTheLoopGoesOn()
    {
        var (connection, server) = await ConnectOneAsync();

        await server.SendBinaryAsync([0, 5, 0, 8, 1]);
        await server.SendTextAsync("hello");
        await server.SendTextAsync("""{"data":"no type"}""");
        await server.SendTextAsync("""{"type":"weird","data":"x"}""");
        await server.SendTextAsync("""{"type":"error",""");
        await server.SendBinaryAsync(KiteVectors.Parse(KiteVectors.LtpCds));

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("malformed", await _observer.NextAsync());
        }

        Assert.Equal("tick", await _observer.NextAsync());
        Assert.Equal(
            ["kite: frame shorter than its packet count or a packet length", "kite: unexpected text frame", "kite: unexpected text frame", "kite: unexpected text frame", "kite: unexpected text frame"],
            _observer.Malformed);
        Assert.False(connection.Completion.IsCompleted);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_TextFrames_BecomeErrorNoticeAndOrderMessages()
    {
        var (connection, server) = await ConnectOneAsync();

        await server.SendTextAsync("""{"type":"error","data":"Can't subscribe to more than 3000 instruments."}""");
        await server.SendTextAsync("""{"type":"message","data":"Markets close early today"}""");
        await server.SendTextAsync("""
            {"type":"order","data":{"account_id":"AB1234","order_id":"220303000308932","status":"COMPLETE","transaction_type":"BUY","exchange":"NSE","tradingsymbol":"INFY","quantity":5,"filled_quantity":5,"status_message":null,"checksum":"abc"}}
            """);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("message", await _observer.NextAsync());
        }

        var messages = _observer.Messages.ToArray();
        Assert.Equal(SourceMessageKind.Error, messages[0].Kind);
        Assert.Contains("Can't subscribe to more than 3000 instruments.", messages[0].Message, StringComparison.Ordinal);
        Assert.Equal(SourceMessageKind.Notice, messages[1].Kind);
        Assert.Contains("Markets close early today", messages[1].Message, StringComparison.Ordinal);
        Assert.Equal(SourceMessageKind.OrderUpdate, messages[2].Kind);
        Assert.Equal("Kite order 220303000308932 COMPLETE BUY NSE:INFY filled 5/5", messages[2].Message);
        Assert.DoesNotContain("AB1234", messages[2].Message, StringComparison.Ordinal);
        Assert.False(connection.Completion.IsCompleted);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Receive_ErrorTextQuotingTheToken_IsRedacted()
    {
        var (connection, server) = await ConnectOneAsync();

        await server.SendTextAsync("""{"type":"error","data":"bad token access-token-secret for wss://ws.kite.trade/?api_key=k&access_token=t"}""");

        Assert.Equal("message", await _observer.NextAsync());
        var (_, message, _) = Assert.Single(_observer.Messages);
        Assert.DoesNotContain("access-token-secret", message, StringComparison.Ordinal);
        Assert.DoesNotContain("access_token=t", message, StringComparison.Ordinal);
        Assert.DoesNotContain("access-token-secret", _logs.AllText, StringComparison.Ordinal);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Liveness_NoFrameForTheHeartbeatTimeout_EndsWithNoData()
    {
        var (connection, _) = await ConnectOneAsync();

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(connection.Completion.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        var ended = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DisconnectReason.NoData, ended.Reason);
        Assert.Contains("FeedGuard:Kite:HeartbeatTimeout", ended.Message, StringComparison.Ordinal);
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task Liveness_HeartbeatsKeepTheSocketAliveAndTheDeadlineRunsFromTheLastFrame()
    {
        var (connection, server) = await ConnectOneAsync();

        _time.Advance(TimeSpan.FromSeconds(3));
        await server.SendBinaryAsync([0x00]);
        Assert.Equal("frame", await _observer.NextAsync());
        _time.Advance(TimeSpan.FromSeconds(4.9)); // 7.9 s since connect, 4.9 s since the heartbeat
        Assert.False(connection.Completion.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        var ended = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DisconnectReason.NoData, ended.Reason);
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
        var connection = await Source().ConnectAsync(new StreamRequest(Instruments(4000), FeedMode.Ltp), _observer, CancellationToken.None);
        var first = await _connector.NextServerAsync();
        var second = await _connector.NextServerAsync();
        foreach (var server in new[] { first, second })
        {
            await server.ReceiveTextAsync();
            await server.ReceiveTextAsync();
        }

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
        _connector.FailOn = n => n switch
        {
            2 => new FeedConnectionException(DisconnectReason.RateLimited, "Kite ticker refused the socket (HTTP 429)"),
            3 => new FeedConnectionException(DisconnectReason.AuthRejected, "Kite ticker rejected the api_key or access_token (HTTP 403, TokenException)"),
            _ => null,
        };

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(
            () => Source().ConnectAsync(new StreamRequest(Instruments(7000), FeedMode.Ltp), _observer, CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.AuthRejected, ex.Reason);
        var server = await _connector.NextServerAsync();
        WebSocketMessageType type;
        do
        {
            (type, _) = await server.ReceiveAsync();
        }
        while (type != WebSocketMessageType.Close);
    }

    [Fact]
    public async Task ConnectAsync_ReadsCredentialsAgainOnEveryConnect()
    {
        var token = "first";
        var source = Source(() => Credentials with { AccessToken = token });

        var one = await source.ConnectAsync(new StreamRequest(Registry, FeedMode.Ltp), _observer, CancellationToken.None);
        token = "refreshed";
        var two = await source.ConnectAsync(new StreamRequest(Registry, FeedMode.Ltp), _observer, CancellationToken.None);

        Assert.Equal(["first", "refreshed"], _connector.SeenCredentials.Select(c => c.AccessToken));
        await one.DisposeAsync();
        await two.DisposeAsync();
    }

    [Theory]
    [InlineData("", "token")]
    [InlineData("key", "")]
    public async Task ConnectAsync_MissingCredential_IsAuthRejectedNamingTheKeys(string apiKey, string accessToken)
    {
        var ex = await Assert.ThrowsAsync<FeedConnectionException>(
            () => Source(() => new KiteCredentials { ApiKey = apiKey, AccessToken = accessToken }).ConnectAsync(new StreamRequest(Registry, FeedMode.Ltp), _observer, CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.AuthRejected, ex.Reason);
        Assert.Contains("FeedGuard:Kite:AccessToken", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_connector.SeenCredentials);
    }

    [Fact]
    public async Task ConnectAsync_CredentialsCallbackThrows_NamesOnlyTheExceptionType()
    {
        var ex = await Assert.ThrowsAsync<FeedConnectionException>(
            () => Source(() => throw new InvalidOperationException("vault said access-token-secret")).ConnectAsync(new StreamRequest(Registry, FeedMode.Ltp), _observer, CancellationToken.None).AsTask());

        Assert.DoesNotContain("access-token-secret", ex.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(InvalidOperationException), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_9001Instruments_IsRefusedWithTheLimit()
    {
        var errors = Source().Validate(new StreamRequest(Instruments(9001), FeedMode.Ltp));

        var error = Assert.Single(errors);
        Assert.Contains("9000", error, StringComparison.Ordinal);
        Assert.Contains("9001", error, StringComparison.Ordinal);
        Assert.Empty(Source().Validate(new StreamRequest(Instruments(9000), FeedMode.Ltp)));
    }

    [Fact]
    public void Validate_BadTokensAndExchanges_NameTheInstruments()
    {
        var registry = new InstrumentRegistry(
        [
            InstrumentKey.Parse("NSE:INFY"),
            InstrumentKey.Parse("NSE:4294967296:BIG"),
            InstrumentKey.Parse("NSE:13368322:NIFTYFUT"),
            InstrumentKey.Parse("NCDEX:1:GUAR"),
            InstrumentKey.Parse("NSE:256265:NIFTY 50"),
            InstrumentKey.Parse("NSE:3045:SBIN"), // SmartAPI's token: low byte 229
        ]);

        var errors = string.Join("\n", Source().Validate(new StreamRequest(registry, FeedMode.Ltp)));

        Assert.Contains("NSE:INFY, NSE:4294967296:BIG", errors, StringComparison.Ordinal);
        Assert.Contains("unsigned 32-bit", errors, StringComparison.Ordinal);
        Assert.Contains("NSE:13368322:NIFTYFUT", errors, StringComparison.Ordinal);
        Assert.Contains("segment (2 = NFO) is not NSE", errors, StringComparison.Ordinal);
        Assert.Contains("NCDEX:1:GUAR", errors, StringComparison.Ordinal);
        Assert.Contains("NSE:3045:SBIN: the token's low byte (229) is not a Kite segment (1–9)", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("NIFTY 50", errors, StringComparison.Ordinal);
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

    [Fact]
    public async Task Logs_ForAWholeSession_NeverCarryTheCredentials()
    {
        var (connection, server) = await ConnectOneAsync();
        await server.SendTextAsync("""{"type":"message","data":"hello"}""");
        Assert.Equal("message", await _observer.NextAsync());
        server.Drop();
        await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        await connection.DisposeAsync();

        Assert.Contains(_logs.Lines, l => l.EventId == 6000);
        Assert.Contains(_logs.Lines, l => l.EventId == 6001);
        Assert.Contains(_logs.Lines, l => l.EventId == 6003);
        Assert.DoesNotContain("api-key-secret", _logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("access-token-secret", _logs.AllText, StringComparison.Ordinal);
        Assert.Contains("wss://ws.kite.trade/", _logs.AllText, StringComparison.Ordinal);
    }
}
