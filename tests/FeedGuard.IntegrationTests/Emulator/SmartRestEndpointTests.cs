using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FeedGuard.Emulator;
using FeedGuard.Emulator.SmartApi;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>The SmartAPI REST quote endpoint over real HTTP.</summary>
public sealed class SmartRestEndpointTests
{
    internal static async Task<HttpResponseMessage> PostQuoteAsync(BrokerEmulator emulator, string body, string? jwt = null, string path = "rest/secure/angelbroking/market/v1/quote")
    {
        using var http = new HttpClient { BaseAddress = emulator.SmartApiRestUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + (jwt ?? emulator.Options.SmartApi.JwtToken));
        request.Headers.TryAddWithoutValidation("X-PrivateKey", emulator.Options.SmartApi.ApiKey);
        return await http.SendAsync(request);
    }

    private static Task<BrokerEmulator> StartUnlimitedAsync(double ticksPerSecond = 0) =>
        Wire.StartAsync(new EmulatorOptions { TicksPerSecond = ticksPerSecond, SmartApi = new SmartApiEmulatorOptions { QuoteRequestsPerSecond = 0 } });

    [Theory]
    [InlineData("rest/secure/angelbroking/market/v1/quote")]
    [InlineData("rest/secure/angelbroking/market/v1/quote/")]
    public async Task Quote_Ltp_ReturnsFetchedAndUnfetched(string path)
    {
        await using var emulator = await StartUnlimitedAsync();

        using var response = await PostQuoteAsync(emulator, """{"mode":"LTP","exchangeTokens":{"NSE":["3045","ABC",""],"CDS":["1"]}}""", path: path);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(root.GetProperty("status").GetBoolean());
        Assert.Equal("SUCCESS", root.GetProperty("message").GetString());
        Assert.Equal("", root.GetProperty("errorcode").GetString());
        var fetched = root.GetProperty("data").GetProperty("fetched").EnumerateArray().ToList();
        Assert.Equal(["3045", "1"], fetched.Select(f => f.GetProperty("symbolToken").GetString()));
        Assert.True(emulator.TryGetLatest(1, "3045", out var paise, out _));
        Assert.Equal(paise / 100m, fetched[0].GetProperty("ltp").GetDecimal());
        Assert.True(emulator.TryGetLatest(13, "1", out var units, out _));
        Assert.Equal(units / 10_000_000m, fetched[1].GetProperty("ltp").GetDecimal());
        var unfetched = root.GetProperty("data").GetProperty("unfetched").EnumerateArray().ToList();
        Assert.Equal(["ABC", ""], unfetched.Select(u => u.GetProperty("symbolToken").GetString()));
        Assert.Equal("Symbol token cannot be empty", unfetched[1].GetProperty("message").GetString());
        Assert.Equal("AB4018", unfetched[1].GetProperty("errorCode").GetString());
        Assert.All(unfetched, u => Assert.False(string.IsNullOrEmpty(u.GetProperty("message").GetString())));
    }

    [Fact]
    public async Task Quote_Full_HasEveryDocumentedFieldAndIstFeedTime()
    {
        await using var emulator = await StartUnlimitedAsync();

        using var response = await PostQuoteAsync(emulator, """{"mode":"FULL","exchangeTokens":{"NFO":["57920"]}}""");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var item = json.RootElement.GetProperty("data").GetProperty("fetched")[0];

        foreach (var field in new[] { "exchange", "tradingSymbol", "symbolToken", "ltp", "open", "high", "low", "close", "lastTradeQty", "exchFeedTime", "exchTradeTime", "netChange", "percentChange", "avgPrice", "tradeVolume", "opnInterest", "lowerCircuit", "upperCircuit", "totBuyQuan", "totSellQuan", "52WeekLow", "52WeekHigh", "depth" })
        {
            Assert.True(item.TryGetProperty(field, out _), field);
        }

        Assert.Equal(JsonValueKind.Number, item.GetProperty("ltp").ValueKind);
        Assert.Matches(new Regex(@"^\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}$"), item.GetProperty("exchFeedTime").GetString());
        Assert.Equal(5, item.GetProperty("depth").GetProperty("buy").GetArrayLength());
        Assert.Equal(5, item.GetProperty("depth").GetProperty("sell").GetArrayLength());
    }

    [Fact]
    public async Task Quote_StreamAndRestAgree_OnAFrozenMarket()
    {
        await using var emulator = await StartUnlimitedAsync();
        await using var client = await Wire.OpenAsync(emulator);
        await client.SendTextAsync(Wire.Subscribe(1, 1, "3045"));
        await Wire.WaitUntilAsync(() => emulator.Counters.Subscriptions == 1, "the stream subscribes");

        using var response = await PostQuoteAsync(emulator, """{"mode":"LTP","exchangeTokens":{"NSE":["3045"]}}""");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.True(emulator.TryGetLatest(1, "3045", out var paise, out _));
        Assert.Equal(paise / 100m, json.RootElement.GetProperty("data").GetProperty("fetched")[0].GetProperty("ltp").GetDecimal());
    }

    [Fact]
    public async Task Quote_Over50Tokens_ReturnsErrorEnvelope()
    {
        await using var emulator = await StartUnlimitedAsync();
        var tokens = string.Join(",", Enumerable.Range(1, 51).Select(i => $"\"{i}\""));

        using var response = await PostQuoteAsync(emulator, "{\"mode\":\"LTP\",\"exchangeTokens\":{\"NSE\":[" + tokens + "]}}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.False(json.RootElement.GetProperty("status").GetBoolean());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("errorcode").GetString()));
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("data").ValueKind);
    }

    [Fact]
    public async Task Quote_SecondRequestWithinASecond_Is403PlainText()
    {
        await using var emulator = await Wire.StartAsync();
        const string body = """{"mode":"LTP","exchangeTokens":{"NSE":["3045"]}}""";

        using var first = await PostQuoteAsync(emulator, body);
        using var second = await PostQuoteAsync(emulator, body);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, second.StatusCode);
        Assert.Equal("Access denied because of exceeding access rate", await second.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Quote_StrictModeWithWrongJwt_IsRejectedWithEnvelope()
    {
        await using var emulator = await StartUnlimitedAsync();

        using var response = await PostQuoteAsync(emulator, """{"mode":"LTP","exchangeTokens":{"NSE":["3045"]}}""", jwt: "wrong");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(json.RootElement.GetProperty("status").GetBoolean());
        Assert.Equal("AG8001", json.RootElement.GetProperty("errorcode").GetString());
    }
}
