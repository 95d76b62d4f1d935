using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>The Kite REST quote endpoints over real HTTP.</summary>
public sealed class KiteRestEndpointTests
{
    [Fact]
    public async Task Ltp_ReturnsSuccessEnvelopeKeyedByRequestedName_WithTokensAndSegmentUnits()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 0);

        using var response = await KiteWire.GetAsync(emulator, "quote/ltp?i=NSE:INFY&i=NSE:NIFTY+50&i=CDS:USDINR&i=BCD:USDINR");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var data = json.RootElement.GetProperty("data");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("success", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(["BCD:USDINR", "CDS:USDINR", "NSE:INFY", "NSE:NIFTY 50"], data.EnumerateObject().Select(p => p.Name).Order());
        foreach (var (name, token, divisor) in new[] { ("NSE:INFY", KiteWire.Infy, 100m), ("NSE:NIFTY 50", KiteWire.Nifty50, 100m), ("CDS:USDINR", KiteWire.UsdInrCds, 10_000_000m), ("BCD:USDINR", KiteWire.UsdInrBcd, 10_000m) })
        {
            var item = data.GetProperty(name);
            Assert.Equal(token, item.GetProperty("instrument_token").GetUInt32());
            Assert.True(emulator.TryGetKiteLatest(token, out var units, out _));
            Assert.Equal(units / divisor, item.GetProperty("last_price").GetDecimal());
            Assert.Equal(2, item.EnumerateObject().Count());
        }
    }

    [Fact]
    public async Task Ohlc_AddsTheOhlcObject()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 0);

        using var response = await KiteWire.GetAsync(emulator, "quote/ohlc?i=NSE:SBIN");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var item = json.RootElement.GetProperty("data").GetProperty("NSE:SBIN");

        Assert.Equal(779521u, item.GetProperty("instrument_token").GetUInt32());
        var ohlc = item.GetProperty("ohlc");
        Assert.Equal(["close", "high", "low", "open"], ohlc.EnumerateObject().Select(p => p.Name).Order());
        Assert.InRange(item.GetProperty("last_price").GetDecimal(), ohlc.GetProperty("low").GetDecimal(), ohlc.GetProperty("high").GetDecimal());
    }

    [Fact]
    public async Task Quote_HasEveryDocumentedField()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 0);

        using var response = await KiteWire.GetAsync(emulator, "quote?i=NFO:NIFTY23NOVFUT");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var item = json.RootElement.GetProperty("data").GetProperty("NFO:NIFTY23NOVFUT");

        foreach (var field in new[] { "instrument_token", "timestamp", "last_trade_time", "last_price", "last_quantity", "buy_quantity", "sell_quantity", "volume", "average_price", "oi", "oi_day_high", "oi_day_low", "net_change", "lower_circuit_limit", "upper_circuit_limit", "ohlc", "depth" })
        {
            Assert.True(item.TryGetProperty(field, out _), field);
        }

        Assert.Matches(new Regex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"), item.GetProperty("timestamp").GetString());
        Assert.True(item.GetProperty("oi").GetInt64() > 0, "a future carries open interest");
        Assert.Equal(5, item.GetProperty("depth").GetProperty("buy").GetArrayLength());
        Assert.Equal(5, item.GetProperty("depth").GetProperty("sell").GetArrayLength());
    }

    [Fact]
    public async Task KeysWithNoData_AreLeftOut()
    {
        await using var mapped = await KiteWire.StartAsync(ticksPerSecond: 0);
        await using var strict = await KiteWire.StartAsync(ticksPerSecond: 0, kite: k => k with { MapUnknownSymbols = false });
        const string Query = "quote/ltp?i=NSE:INFY&i=NSE:NEWCO&i=FOO:BAR&i=INFY";

        using var r1 = await KiteWire.GetAsync(mapped, Query);
        using var r2 = await KiteWire.GetAsync(strict, Query);
        using var j1 = JsonDocument.Parse(await r1.Content.ReadAsStringAsync());
        using var j2 = JsonDocument.Parse(await r2.Content.ReadAsStringAsync());

        Assert.Equal(["NSE:INFY", "NSE:NEWCO"], j1.RootElement.GetProperty("data").EnumerateObject().Select(p => p.Name));
        Assert.True(mapped.TryGetKiteToken("NSE:NEWCO", out var token));
        Assert.Equal(token, j1.RootElement.GetProperty("data").GetProperty("NSE:NEWCO").GetProperty("instrument_token").GetUInt32());
        Assert.Equal(["NSE:INFY"], j2.RootElement.GetProperty("data").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("quote/ltp", 1000)]
    [InlineData("quote/ohlc", 1000)]
    [InlineData("quote", 500)]
    public async Task InstrumentCap_OneMoreIsAnInputException(string path, int cap)
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 0);
        string Query(int n) => path + "?" + string.Join("&", Enumerable.Range(1, n).Select(i => $"i=NSE:S{i}"));

        using var atCap = await KiteWire.GetAsync(emulator, Query(cap));
        using var over = await KiteWire.GetAsync(emulator, Query(cap + 1));

        Assert.Equal(HttpStatusCode.OK, atCap.StatusCode);
        using (var json = JsonDocument.Parse(await atCap.Content.ReadAsStringAsync()))
        {
            Assert.Equal(cap, json.RootElement.GetProperty("data").EnumerateObject().Count());
        }

        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        using var error = JsonDocument.Parse(await over.Content.ReadAsStringAsync());
        Assert.Equal("error", error.RootElement.GetProperty("status").GetString());
        Assert.Equal("InputException", error.RootElement.GetProperty("error_type").GetString());
    }

    [Fact]
    public async Task RateLimit_SecondCallWithinASecond_Is429NetworkException()
    {
        await using var emulator = await KiteWire.StartAsync(kite: k => k with { QuoteRequestsPerSecond = 1 });

        using var first = await KiteWire.GetAsync(emulator, "quote/ltp?i=NSE:INFY");
        using var second = await KiteWire.GetAsync(emulator, "quote?i=NSE:INFY");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal((HttpStatusCode)429, second.StatusCode);
        using var json = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal("error", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("NetworkException", json.RootElement.GetProperty("error_type").GetString());
        Assert.Equal("Too many requests", json.RootElement.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("token emulator-kite-key:wrong")]
    [InlineData("Bearer emulator-kite-token")]
    [InlineData("")]
    public async Task BadAuthorization_Is403TokenException_ButLenientAnswers(string authorization)
    {
        await using var strict = await KiteWire.StartAsync(ticksPerSecond: 0);
        await using var lenient = await KiteWire.StartAsync(ticksPerSecond: 0, kite: k => k with { AuthMode = FeedGuard.Emulator.Kite.KiteAuthMode.Lenient });

        using var rejected = await KiteWire.GetAsync(strict, "quote/ltp?i=NSE:INFY", authorization);
        using var accepted = await KiteWire.GetAsync(lenient, "quote/ltp?i=NSE:INFY", authorization);

        Assert.Equal(HttpStatusCode.Forbidden, rejected.StatusCode);
        using var json = JsonDocument.Parse(await rejected.Content.ReadAsStringAsync());
        Assert.Equal("TokenException", json.RootElement.GetProperty("error_type").GetString());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task NoInstruments_IsAnInputException()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 0);

        using var response = await KiteWire.GetAsync(emulator, "quote/ltp");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InputException", json.RootElement.GetProperty("error_type").GetString());
    }

    [Fact]
    public async Task StreamAndRest_Agree_OnAFrozenMarket()
    {
        await using var emulator = await KiteWire.StartAsync(ticksPerSecond: 0);
        await using var client = await KiteWire.OpenAsync(emulator);
        await client.SendTextAsync(KiteWire.Subscribe(KiteWire.Infy));
        var (_, frame) = await client.ReceiveUntilAsync(KiteWire.IsTickFrame);
        var streamed = KiteWire.U32(KiteWire.Packets(frame)[0], 4);

        using var response = await KiteWire.GetAsync(emulator, "quote/ltp?i=NSE:INFY");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(streamed / 100m, json.RootElement.GetProperty("data").GetProperty("NSE:INFY").GetProperty("last_price").GetDecimal());
    }
}
