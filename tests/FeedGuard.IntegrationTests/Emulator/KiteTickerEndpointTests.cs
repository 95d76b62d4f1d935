using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using FeedGuard.Emulator.Kite;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>The Kite ticker over real loopback sockets: handshake, heartbeat, requests, frames.</summary>
public sealed class KiteTickerEndpointTests
{
    [Theory]
    [InlineData("/kite")]
    [InlineData("/")]
    public async Task Handshake_ValidQueryParameters_UpgradesAndIgnoresUnknownOnes(string path)
    {
        await using var emulator = await KiteWire.StartAsync();

        using var ws = await KiteWire.ConnectAsync(KiteWire.StreamUrl(emulator, path: path));

        Assert.Equal(WebSocketState.Open, ws.State);
        await Wire.WaitUntilAsync(() => emulator.Counters.ConnectionsOpen == 1, "the emulator counts the socket");
    }

    [Theory]
    [InlineData("wrong", null)]
    [InlineData(null, "expired")]
    [InlineData("", "")]
    public async Task Handshake_BadCredentials_Is403WithTokenExceptionEnvelope(string? apiKey, string? accessToken)
    {
        await using var emulator = await KiteWire.StartAsync();

        var (status, body) = await KiteWire.HandshakeAsync(KiteWire.StreamUrl(emulator, apiKey, accessToken));

        Assert.Equal(403, status);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("error", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("TokenException", json.RootElement.GetProperty("error_type").GetString());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("message").GetString()));
        Assert.Equal(0, emulator.Counters.ConnectionsAccepted);
    }

    [Fact]
    public async Task Handshake_FourthSocketPerApiKey_Is429_AndAFreedSlotIsReusable()
    {
        await using var emulator = await KiteWire.StartAsync();
        var url = KiteWire.StreamUrl(emulator);
        var sockets = new List<ClientWebSocket>();
        for (var i = 0; i < 3; i++)
        {
            sockets.Add(await KiteWire.ConnectAsync(url));
        }

        var (status, body) = await KiteWire.HandshakeAsync(url);
        Assert.Equal(429, status);
        using (var json = JsonDocument.Parse(body))
        {
            Assert.Equal("NetworkException", json.RootElement.GetProperty("error_type").GetString());
        }

        await sockets[0].CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await Wire.WaitUntilAsync(() => emulator.Counters.ConnectionsOpen == 2, "the closed socket frees its slot");
        using var again = await KiteWire.ConnectAsync(url);
        Assert.Equal(WebSocketState.Open, again.State);
        sockets.ForEach(s => s.Dispose());
    }

    [Fact]
    public async Task Handshake_Lenient_AcceptsAnyNonEmptyCredentialsButStillNeedsBoth()
    {
        await using var emulator = await KiteWire.StartAsync(kite: k => k with { AuthMode = KiteAuthMode.Lenient });

        using var ws = await KiteWire.ConnectAsync(KiteWire.StreamUrl(emulator, "someone-else", "yesterdays-token"));
        var (status, _) = await KiteWire.HandshakeAsync(KiteWire.StreamUrl(emulator, "someone-else", ""));

        Assert.Equal(WebSocketState.Open, ws.State);
        Assert.Equal(403, status);
    }

    [Fact]
    public async Task Heartbeat_WhenIdle_IsOneByteAtLeastEverySecond_AndNoPongIsEverUnsolicited()
    {
        await using var emulator = await KiteWire.StartAsync();
        using var raw = await KiteWire.OpenRawAsync(emulator);

        var arrivals = new List<TimeSpan>();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(2.6))
        {
            var frame = await raw.ReadFrameAsync(TimeSpan.FromSeconds(2));
            Assert.NotNull(frame);
            Assert.Equal(RawWebSocketClient.Binary, frame.Value.Opcode); // never a PONG (0xA) or anything else
            Assert.Equal([0], frame.Value.Payload);
            arrivals.Add(sw.Elapsed);
        }

        Assert.True(arrivals.Count >= 2, $"{arrivals.Count} heartbeats in 2.6 s");
        var gaps = arrivals.Zip(arrivals.Skip(1), (a, b) => b - a).Prepend(arrivals[0]).ToList();
        Assert.All(gaps, g => Assert.True(g < TimeSpan.FromSeconds(1.4), $"gap {g.TotalMilliseconds} ms"));
    }

    [Fact]
    public async Task ClientPing_IsAnsweredWithPongEchoingThePayload()
    {
        await using var emulator = await KiteWire.StartAsync();
        using var raw = await KiteWire.OpenRawAsync(emulator);

        await raw.SendAsync(RawWebSocketClient.Ping, "kite"u8.ToArray());
        var (_, payload) = await raw.ReadUntilAsync((op, _) => op == RawWebSocketClient.Pong);

        Assert.Equal("kite"u8.ToArray(), payload);
    }

    [Fact]
    public async Task Subscribe_StartsInQuoteMode_AndBatchesInstrumentsInOneFrame()
    {
        await using var emulator = await KiteWire.StartAsync();
        await using var client = await KiteWire.OpenAsync(emulator);

        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.Infy, KiteWire.Reliance));

        // The first frame carries the current state of everything just subscribed.
        var (_, first) = await client.ReceiveUntilAsync(KiteWire.IsTickFrame);
        var packets = KiteWire.Packets(first);
        Assert.Equal([KiteWire.Infy, KiteWire.Reliance], packets.Select(p => KiteWire.U32(p, 0)).Order());
        Assert.All(packets, p => Assert.Equal(44, p.Length));

        var seen = new Dictionary<uint, int>();
        while (seen.Count < 2 || seen.Values.Any(c => c < 3))
        {
            var (_, frame) = await client.ReceiveUntilAsync(KiteWire.IsTickFrame);
            foreach (var p in KiteWire.Packets(frame))
            {
                Assert.Equal(44, p.Length);
                var (ltp, open, high, low) = (KiteWire.U32(p, 4), KiteWire.U32(p, 28), KiteWire.U32(p, 32), KiteWire.U32(p, 36));
                Assert.Equal(0u, ltp % 5); // paise on the ₹0.05 grid
                Assert.InRange(ltp, low, high);
                Assert.InRange(open, low, high);
                seen[KiteWire.U32(p, 0)] = seen.GetValueOrDefault(KiteWire.U32(p, 0)) + 1;
            }
        }

        Assert.Contains(emulator.GetKiteSentTicks(KiteWire.Infy), t => t.Mode == (byte)KiteTickMode.Quote);
    }

    [Fact]
    public async Task Mode_SwitchesPacketLayout_AndIgnoresTokensNotSubscribed()
    {
        await using var emulator = await KiteWire.StartAsync();
        await using var client = await KiteWire.OpenAsync(emulator);
        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.Infy));
        await client.ReceiveUntilAsync((t, d) => KiteWire.IsTickFrame(t, d) && KiteWire.Packets(d)[0].Length == 44);

        await client.SendTextAsync(KiteWire.Mode("full", KiteWire.Infy, KiteWire.Reliance));
        var (_, frame) = await client.ReceiveUntilAsync((t, d) => KiteWire.IsTickFrame(t, d) && KiteWire.Packets(d)[0].Length == 184);
        var full = Assert.Single(KiteWire.Packets(frame));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(KiteWire.U32(full, 60), now - 60, now + 60); // exchange timestamp, Unix seconds
        Assert.InRange(KiteWire.U32(full, 44), now - 60, now + 60); // last trade time
        for (var level = 0; level < 10; level++)
        {
            var at = 64 + (level * 12);
            Assert.Equal(0, full[at + 10] | full[at + 11]); // padding
            Assert.True(KiteWire.U32(full, at) > 0 && KiteWire.U32(full, at + 4) > 0);
        }

        Assert.True(KiteWire.U32(full, 64 + 4) < KiteWire.U32(full, 124 + 4), "best bid below best ask");

        await client.SendTextAsync(KiteWire.Mode("ltp", KiteWire.Infy));
        await client.ReceiveUntilAsync((t, d) => KiteWire.IsTickFrame(t, d) && KiteWire.Packets(d)[0].Length == 8);
        Assert.Equal(0, emulator.GetKitePacketsSent(KiteWire.Reliance));
    }

    [Theory]
    [InlineData("ltp", 8)]
    [InlineData("quote", 28)]
    [InlineData("full", 32)]
    public async Task Index_HasItsOwnLayout_WithSignedChange(string mode, int size)
    {
        await using var emulator = await KiteWire.StartAsync();
        await using var client = await KiteWire.OpenAsync(emulator);

        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.Nifty50));
        await client.SendTextAsync(KiteWire.Mode(mode, KiteWire.Nifty50));
        var (_, frame) = await client.ReceiveUntilAsync((t, d) => KiteWire.IsTickFrame(t, d) && KiteWire.Packets(d)[0].Length == size);
        var p = KiteWire.Packets(frame)[0];

        Assert.Equal(KiteWire.Nifty50, KiteWire.U32(p, 0));
        if (size >= 28)
        {
            // last, high, low, open, close, then last − close as a signed int32.
            Assert.InRange(KiteWire.U32(p, 4), KiteWire.U32(p, 12), KiteWire.U32(p, 8));
            Assert.Equal((long)KiteWire.U32(p, 4) - KiteWire.U32(p, 20), KiteWire.I32(p, 24));
        }
    }

    [Fact]
    public async Task Currency_PricesUseTheSegmentsUnit()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 0);
        await using var client = await KiteWire.OpenAsync(emulator);

        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.UsdInrCds, KiteWire.UsdInrBcd));
        await client.SendTextAsync(KiteWire.Mode("ltp", KiteWire.UsdInrCds, KiteWire.UsdInrBcd));
        var prices = new Dictionary<uint, uint>();
        while (prices.Count < 2)
        {
            var (_, frame) = await client.ReceiveUntilAsync(KiteWire.IsTickFrame);
            foreach (var p in KiteWire.Packets(frame))
            {
                prices[KiteWire.U32(p, 0)] = KiteWire.U32(p, 4);
            }
        }

        // The market's currency range is ₹50–₹120: the divisor decides whether that is what a client reads.
        Assert.InRange(prices[KiteWire.UsdInrCds] / 10_000_000m, 50m, 120m);
        Assert.InRange(prices[KiteWire.UsdInrBcd] / 10_000m, 50m, 120m);
        Assert.True(emulator.TryGetKiteLatest(KiteWire.UsdInrCds, out var cds, out _));
        Assert.Equal(cds, prices[KiteWire.UsdInrCds]);
    }

    [Fact]
    public async Task Unsubscribe_StopsPacketsForThatTokenOnly()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 50);
        await using var client = await KiteWire.OpenAsync(emulator);
        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.Infy, KiteWire.Reliance));
        await client.ReceiveUntilAsync(KiteWire.IsTickFrame);

        await client.SendTextAsync(KiteWire.Unsubscribe(KiteWire.Infy));
        await Wire.WaitUntilAsync(() => emulator.Counters.Subscriptions == 1, "the unsubscribe is applied");
        await client.DrainAsync(TimeSpan.FromMilliseconds(1));
        var sentBefore = emulator.GetKitePacketsSent(KiteWire.Infy);

        var frames = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromMilliseconds(400))
        {
            if (await client.ReceiveAsync(TimeSpan.FromMilliseconds(100)) is { } m && KiteWire.IsTickFrame(m.Type, m.Data))
            {
                Assert.All(KiteWire.Packets(m.Data), p => Assert.Equal(KiteWire.Reliance, KiteWire.U32(p, 0)));
                frames++;
            }
        }

        Assert.True(frames > 0);
        Assert.Equal(sentBefore, emulator.GetKitePacketsSent(KiteWire.Infy));
    }

    [Fact]
    public async Task Subscribe_Past3000Instruments_SendsTheExactErrorText_AndKeepsTheSocket()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 0);
        await using var client = await KiteWire.OpenAsync(emulator);
        // Segment-0 tokens count toward the limit but never tick, so no 130 KB first frame.
        var tokens = Enumerable.Range(1, 2999).Select(i => (uint)i << 8).ToArray();
        await client.SendTextAsync(KiteWire.Subscribe(tokens));
        await Wire.WaitUntilAsync(() => emulator.Counters.Subscriptions == 2999, "2999 instruments are subscribed");

        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.Infy, KiteWire.Reliance));
        var (_, error) = await client.ReceiveUntilAsync((t, _) => t == WebSocketMessageType.Text);

        Assert.Equal("""{"type":"error","data":"Can't subscribe to more than 3000 instruments."}""", Encoding.UTF8.GetString(error));
        Assert.Equal(2999, emulator.Counters.Subscriptions);
        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.Infy, tokens[0]));
        await Wire.WaitUntilAsync(() => emulator.Counters.Subscriptions == 3000, "the 3000th instrument is accepted");
        Assert.Equal(WebSocketState.Open, client.Socket.State);
    }

    [Fact]
    public async Task TextPushes_AreJsonObjectsWithTypeAndData()
    {
        await using var emulator = await KiteWire.StartAsync();
        await using var client = await KiteWire.OpenAsync(emulator);
        await Wire.WaitUntilAsync(() => emulator.Counters.ConnectionsOpen == 1, "the socket is registered");

        Assert.Equal(1, emulator.SendKiteOrderUpdate("""{"order_id":"151220000000000","status":"COMPLETE"}"""));
        Assert.Equal(1, emulator.SendKiteMessage("Market closes early today"));
        var texts = new List<JsonDocument>();
        while (texts.Count < 2)
        {
            var (_, data) = await client.ReceiveUntilAsync((t, _) => t == WebSocketMessageType.Text);
            texts.Add(JsonDocument.Parse(data));
        }

        Assert.Equal("order", texts[0].RootElement.GetProperty("type").GetString());
        Assert.Equal("COMPLETE", texts[0].RootElement.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("message", texts[1].RootElement.GetProperty("type").GetString());
        Assert.Equal("Market closes early today", texts[1].RootElement.GetProperty("data").GetString());
        Assert.Throws<ArgumentException>(() => emulator.SendKiteOrderUpdate("[1]"));
        texts.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task Market_SameSeed_GivesTheSameKitePrices()
    {
        await using var a = await KiteWire.StartAsync(ticksPerSecond: 0);
        await using var b = await KiteWire.StartAsync(ticksPerSecond: 0);

        using var ra = await KiteWire.GetAsync(a, "quote/ltp?i=NSE:INFY&i=NSE:SOMECO");
        using var rb = await KiteWire.GetAsync(b, "quote/ltp?i=NSE:INFY&i=NSE:SOMECO");

        Assert.Equal(HttpStatusCode.OK, ra.StatusCode);
        Assert.Equal(await ra.Content.ReadAsStringAsync(), await rb.Content.ReadAsStringAsync());
        Assert.True(a.TryGetKiteToken("NSE:SOMECO", out var token));
        Assert.Equal(1u, token & 0xFF);
        Assert.Contains(token.ToString(CultureInfo.InvariantCulture), await ra.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
