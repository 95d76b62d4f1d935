using System.Net;
using System.Text.Json;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Polling;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.SmartApi.Tests.Polling;

public sealed class SmartApiPollingSourceTests : IDisposable
{
    private static readonly SmartApiCredentials Credentials = new() { ApiKey = "api-key-1", ClientCode = "C1", JwtToken = "jwt-token-1", FeedToken = "feed-1" };

    private static readonly InstrumentRegistry Registry = new(
    [
        new InstrumentKey(Exchange.Nse, "3045"),
        new InstrumentKey(Exchange.Nfo, "57920"),
        new InstrumentKey(Exchange.Cds, "1660"),
    ]);

    private readonly WaitClock _time = new(new DateTimeOffset(2023, 6, 21, 5, 16, 11, TimeSpan.Zero));
    private readonly SmartApiOptions _options = new() { RestUrl = new Uri("http://127.0.0.1:9/base/") };
    private Func<RecordingHandler.Recorded, CancellationToken, Task<HttpResponseMessage>> _respond = (r, _) => Task.FromResult(RecordingHandler.Json(Echo(r)));
    private readonly RecordingHandler _handler;
    private readonly HttpClient _http;

    public SmartApiPollingSourceTests()
    {
        _handler = new RecordingHandler(_time, (r, ct) => _respond(r, ct));
        _http = new HttpClient(_handler);
    }

    public void Dispose() => _http.Dispose();

    private SmartApiPollingSource Source(Func<SmartApiCredentials>? credentials = null) => new(_options, _http, credentials ?? (() => Credentials), _time);

    // Answers every requested token as fetched at ₹100.05 (LTP-mode shape).
    private static string Echo(RecordingHandler.Recorded request)
    {
        using var body = JsonDocument.Parse(request.Body);
        var fetched = new List<string>();
        foreach (var exchange in body.RootElement.GetProperty("exchangeTokens").EnumerateObject())
        {
            foreach (var token in exchange.Value.EnumerateArray())
            {
                fetched.Add($$"""{"exchange":"{{exchange.Name}}","tradingSymbol":"X","symbolToken":"{{token.GetString()}}","ltp":100.05}""");
            }
        }

        return $$$"""{"status":true,"message":"SUCCESS","errorcode":"","data":{"fetched":[{{{string.Join(",", fetched)}}}],"unfetched":[]}}""";
    }

    [Fact]
    public async Task Poll_SendsTheDocumentedRequest()
    {
        await Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);

        var request = Assert.Single(_handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://127.0.0.1:9/base/rest/secure/angelbroking/market/v1/quote", request.Uri.ToString());
        Assert.Equal("""{"mode":"LTP","exchangeTokens":{"NSE":["3045"],"NFO":["57920"],"CDS":["1660"]}}""", request.Body);
        Assert.Equal("Bearer jwt-token-1", request.Headers["Authorization"]);
        Assert.Equal("api-key-1", request.Headers["X-PrivateKey"]);
        Assert.Equal("USER", request.Headers["X-UserType"]);
        Assert.Equal("WEB", request.Headers["X-SourceID"]);
        Assert.Equal("application/json", request.Headers["Accept"]);
        Assert.Equal("application/json", request.Headers["Content-Type"]);
        Assert.True(request.Headers.ContainsKey("X-ClientLocalIP"));
        Assert.True(request.Headers.ContainsKey("X-ClientPublicIP"));
        Assert.True(request.Headers.ContainsKey("X-MACAddress"));
    }

    [Theory]
    [InlineData(FeedMode.Quote)]
    [InlineData(FeedMode.Full)]
    public async Task Poll_QuoteFieldsNeeded_AsksForFull(FeedMode mode)
    {
        await Source().PollAsync(new StreamRequest(Registry, mode), CancellationToken.None);

        Assert.StartsWith("""{"mode":"FULL",""", Assert.Single(_handler.Requests).Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(50, 0)]
    [InlineData(120, 2)]
    [InlineData(3000, 59)]
    public void MinimumPollDuration_IsTheRateLimitedSpacingOfItsBatches(int instruments, int seconds)
    {
        var registry = new InstrumentRegistry(Enumerable.Range(1, instruments).Select(i => new InstrumentKey(Exchange.Nse, i.ToString(System.Globalization.CultureInfo.InvariantCulture))));

        var duration = ((IPollingSource)Source()).MinimumPollDuration(new StreamRequest(registry, FeedMode.Ltp));

        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public async Task Poll_120Instruments_SendsThreeBatchesOneSecondApart()
    {
        var registry = new InstrumentRegistry(Enumerable.Range(1, 120).Select(i => new InstrumentKey(Exchange.Nse, i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var start = _time.GetUtcNow();

        var poll = Source().PollAsync(new StreamRequest(registry, FeedMode.Ltp), CancellationToken.None).AsTask();
        Assert.Single(_handler.Requests);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Single(_handler.Requests);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        _handler.WaitForCount(2);

        // The third batch's turn counts from the second one's answer: advance once the poll waits for it.
        _time.WaitForTimers(TimeSpan.FromSeconds(1), 2);
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await poll.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([start, start.AddSeconds(1), start.AddSeconds(2)], _handler.Requests.Select(r => r.At));
        Assert.Equal([50, 50, 20], _handler.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("exchangeTokens").GetProperty("NSE").GetArrayLength()));
        Assert.Equal(120, result.Ticks.Count);
        Assert.Empty(result.Unfetched);
        Assert.All(result.Ticks, t => Assert.Equal(TickSource.Poll, t.Source));
    }

    [Fact]
    public async Task Poll_BackToBackPolls_StayPacedAcrossPolls()
    {
        var source = Source();
        await source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);

        var second = source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask();
        Assert.Single(_handler.Requests);
        _time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task Poll_FullResponse_ConvertsRupeesExactlyAndReadsFeedTimeAsIst()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""
            {"status":true,"message":"SUCCESS","errorcode":"","data":{"fetched":[
              {"exchange":"NSE","tradingSymbol":"SBIN-EQ","symbolToken":"3045","ltp":582.1,"open":578,"high":583.5,"low":577,"close":576.9,
               "lastTradeQty":25,"exchFeedTime":"21-Jun-2023 10:46:10","exchTradeTime":"21-Jun-2023 10:46:09","netChange":5.2,"percentChange":0.9,
               "avgPrice":580.75,"tradeVolume":1234567,"opnInterest":0,"lowerCircuit":523.9,"upperCircuit":640.3,"totBuyQuan":456789,"totSellQuan":398765,
               "52WeekLow":543.3,"52WeekHigh":629.9,
               "depth":{"buy":[{"price":582.05,"quantity":750,"orders":3}],"sell":[{"price":582.15,"quantity":300,"orders":2}]}},
              {"exchange":"CDS","tradingSymbol":"USDINR","symbolToken":"1660","ltp":83.1225}
            ],"unfetched":[]}}
            """));

        var result = await Source().PollAsync(new StreamRequest(Registry, FeedMode.Full), CancellationToken.None);

        var sbin = result.Ticks.Single(t => t.Instrument.Token == "3045");
        Assert.Equal(58210L, sbin.LastPriceUnits);
        Assert.Equal((byte)2, sbin.PriceScale);
        Assert.Equal(new DateTimeOffset(2023, 6, 21, 10, 46, 10, TimeSpan.FromHours(5.5)), sbin.ExchangeTime);
        Assert.Equal(new DateTimeOffset(2023, 6, 21, 5, 16, 10, TimeSpan.Zero), sbin.ExchangeTime);
        Assert.Equal(_time.GetUtcNow(), sbin.ReceiveTime);
        Assert.Equal(25L, sbin.LastQuantity);
        Assert.Equal(1234567L, sbin.Volume);
        Assert.Equal(580.75m, sbin.AveragePrice);
        Assert.Equal(578m, sbin.Open);
        Assert.Equal(583.5m, sbin.High);
        Assert.Equal(577m, sbin.Low);
        Assert.Equal(576.9m, sbin.Close);
        Assert.Equal(456789L, sbin.TotalBuyQuantity);
        Assert.Equal(398765L, sbin.TotalSellQuantity);
        Assert.Equal(582.05m, sbin.BidPrice);
        Assert.Equal(750L, sbin.BidQuantity);
        Assert.Equal(582.15m, sbin.AskPrice);
        Assert.Equal(300L, sbin.AskQuantity);

        var usd = result.Ticks.Single(t => t.Instrument.Token == "1660");
        Assert.Equal((byte)7, usd.PriceScale);
        Assert.Equal(831_225_000L, usd.LastPriceUnits);

        var miss = Assert.Single(result.Unfetched);
        Assert.Equal("57920", miss.Instrument.Token);
        Assert.Contains("not in the broker's quote response", miss.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_PriceWithMorePlacesThanPaise_KeepsItExactAtAHigherScale()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""{"status":true,"message":"SUCCESS","errorcode":"","data":{"fetched":[{"exchange":"NSE","symbolToken":"3045","ltp":582.105}],"unfetched":[]}}"""));

        var result = await Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);

        var tick = result.Ticks.Single();
        Assert.Equal(582.105m, tick.LastPrice);
        Assert.Equal((byte)3, tick.PriceScale);
    }

    [Fact]
    public async Task Poll_Unfetched_BecomesAMissWithTheBrokersMessage()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""
            {"status":true,"message":"SUCCESS","errorcode":"","data":{"fetched":[{"exchange":"NSE","symbolToken":"3045","ltp":582.1}],
             "unfetched":[{"exchange":"NFO","symbolToken":"57920","message":"Symbol token is invalid","errorCode":"AB4018"}]}}
            """));

        var result = await Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);

        Assert.Single(result.Ticks);
        Assert.Contains(result.Unfetched, m => m.Instrument.Token == "57920" && m.Message == "Symbol token is invalid (AB4018)");
        Assert.Contains(result.Unfetched, m => m.Instrument.Token == "1660");
    }

    [Fact]
    public async Task Poll_403ExceedingAccessRate_IsRateLimitedAndNothingIsSentDuringTheCooldown()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Text("Access denied because of exceeding access rate", HttpStatusCode.Forbidden));
        var source = Source();

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());
        Assert.Equal(DisconnectReason.RateLimited, ex.Reason);
        Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
        Assert.Equal("SmartAPI quote endpoint is rate limiting (HTTP 403); no request for 2 s.", ex.Message);

        _time.Advance(TimeSpan.FromSeconds(1));
        var refused = await Assert.ThrowsAsync<FeedConnectionException>(() => source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());
        Assert.Equal(DisconnectReason.RateLimited, refused.Reason);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        Assert.Single(_handler.Requests);

        // Still limited when the cooldown ends: the next one is twice as long.
        _time.Advance(TimeSpan.FromSeconds(1));
        var again = await Assert.ThrowsAsync<FeedConnectionException>(() => source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());
        Assert.Equal(TimeSpan.FromSeconds(4), again.RetryAfter);
        Assert.Equal(2, _handler.Requests.Count);

        _respond = (r, _) => Task.FromResult(RecordingHandler.Json(Echo(r)));
        _time.Advance(TimeSpan.FromSeconds(4));
        var result = await source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);
        Assert.Equal(3, result.Ticks.Count);
    }

    [Fact]
    public async Task Poll_429_IsRateLimitedHonouringRetryAfter()
    {
        _respond = (_, _) =>
        {
            var response = RecordingHandler.Text("Too many requests", HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(5));
            return Task.FromResult(response);
        };

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.RateLimited, ex.Reason);
        Assert.Equal(TimeSpan.FromSeconds(5), ex.RetryAfter);
    }

    [Theory]
    [InlineData(401, """{"status":false,"message":"Invalid Token","errorcode":"AG8001","data":null}""")]
    [InlineData(200, """{"status":false,"message":"Invalid Token","errorcode":"AG8001","data":null}""")]
    [InlineData(200, """{"success":false,"message":"Token Expired","errorCode":"AG8002","data":null}""")]
    [InlineData(401, "")]
    public async Task Poll_AuthErrors_AreAuthRejectedWithoutTheToken(int status, string body)
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json(body, (HttpStatusCode)status));

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.AuthRejected, ex.Reason);
        Assert.DoesNotContain("jwt-token-1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("api-key-1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_ServerError_IsNetworkError()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Text("upstream unavailable", HttpStatusCode.ServiceUnavailable));

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.NetworkError, ex.Reason);
        Assert.Contains("HTTP 503", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_EnvelopeStatusFalse_IsAClearError()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""{"status":false,"message":"Something Went Wrong, Please Try After Sometime","errorcode":"AB1004","data":null}"""));

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.NetworkError, ex.Reason);
        Assert.Contains("Something Went Wrong, Please Try After Sometime (AB1004)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_NoAnswerWithinTheTimeout_IsNetworkError()
    {
        _respond = async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        };

        var poll = Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(10));

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => poll.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(DisconnectReason.NetworkError, ex.Reason);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_OneBatchFails_OthersStillDeliverAndTheFailedOnesAreMisses()
    {
        var registry = new InstrumentRegistry(Enumerable.Range(1, 60).Select(i => new InstrumentKey(Exchange.Nse, i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        _respond = (r, _) => Task.FromResult(r.Number == 2 ? RecordingHandler.Text("bad gateway", HttpStatusCode.BadGateway) : RecordingHandler.Json(Echo(r)));

        var poll = Source().PollAsync(new StreamRequest(registry, FeedMode.Ltp), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await poll.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(50, result.Ticks.Count);
        Assert.Equal(10, result.Unfetched.Count);
        Assert.All(result.Unfetched, m => Assert.Contains("HTTP 502", m.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Poll_ReadsCredentialsForEveryRequest()
    {
        var jwt = "first";
        var source = Source(() => Credentials with { JwtToken = jwt });

        await source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);
        jwt = "second";
        _time.Advance(TimeSpan.FromSeconds(1));
        await source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);

        Assert.Equal(["Bearer first", "Bearer second"], _handler.Requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public void Validate_UnservedExchange_IsNamed()
    {
        var registry = new InstrumentRegistry([new InstrumentKey(Exchange.Bcd, "1")]);

        var error = Assert.Single(Source().Validate(new StreamRequest(registry, FeedMode.Ltp)));

        Assert.Contains("BCD", error, StringComparison.Ordinal);
    }
}
