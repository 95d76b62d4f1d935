using System.Globalization;
using System.Net;
using FeedGuard.Instruments;
using FeedGuard.Kite.Polling;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Kite.Tests.Polling;

public sealed class KitePollingSourceTests : IDisposable
{
    private static readonly KiteCredentials Credentials = new() { ApiKey = "api-key-1", AccessToken = "access-token-1" };

    private static readonly InstrumentRegistry Registry = new(
    [
        InstrumentKey.Parse("NSE:408065:INFY"),
        InstrumentKey.Parse("NSE:256265:NIFTY 50"),
        InstrumentKey.Parse("NSE:519937:M&M"),
        InstrumentKey.Parse("CDS:412931:USDINR23NOVFUT"),
    ]);

    private static readonly Dictionary<string, string> TokenByKey = Registry.All.Concat(Many(3000).All).ToDictionary(i => $"{i.Exchange.ToName()}:{i.Symbol}", i => i.Token);

    private readonly WaitClock _time = new(new DateTimeOffset(2021, 6, 8, 10, 15, 56, TimeSpan.Zero));
    private readonly KiteOptions _options = new() { RestUrl = new Uri("http://127.0.0.1:9/base/") };
    private readonly RecordingHandler _handler;
    private readonly HttpClient _http;
    private readonly RecordingLoggerFactory _logs = new();
    private Func<RecordingHandler.Recorded, CancellationToken, Task<HttpResponseMessage>> _respond = (r, _) => Task.FromResult(RecordingHandler.Json(Echo(r)));

    public KitePollingSourceTests()
    {
        _handler = new RecordingHandler(_time, (r, ct) => _respond(r, ct));
        _http = new HttpClient(_handler);
    }

    public void Dispose() => _http.Dispose();

    private KitePollingSource Source(Func<KiteCredentials>? credentials = null) => new(_options, _http, credentials ?? (() => Credentials), _time, _logs);

    private static InstrumentRegistry Many(int count) =>
        new(Enumerable.Range(1, count).Select(i => new InstrumentKey(Exchange.Nse, ((i << 8) | 1).ToString(CultureInfo.InvariantCulture), "S" + i)));

    // Answers every requested key at ₹100.05 (/quote/ltp shape), with the token the registry expects.
    private static string Echo(RecordingHandler.Recorded request)
    {
        var items = request.Instruments.Select(key =>
        {
            var token = TokenByKey.GetValueOrDefault(key, "0");
            return $$"""{{System.Text.Json.JsonSerializer.Serialize(key)}}:{"instrument_token":{{token}},"last_price":100.05}""";
        });
        return """{"status":"success","data":{""" + string.Join(",", items) + "}}";
    }

    [Fact]
    public async Task Poll_Ltp_SendsTheDocumentedRequest()
    {
        await Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);

        var request = Assert.Single(_handler.Requests);
        Assert.Equal(HttpMethod.Get, request.Method);
        Assert.Equal("http://127.0.0.1:9/base/quote/ltp?i=NSE:INFY&i=NSE:NIFTY+50&i=NSE:M%26M&i=CDS:USDINR23NOVFUT", request.Uri.AbsoluteUri);
        Assert.Equal(["NSE:INFY", "NSE:NIFTY 50", "NSE:M&M", "CDS:USDINR23NOVFUT"], request.Instruments);
        Assert.Equal("token api-key-1:access-token-1", request.Headers["Authorization"]);
        Assert.Equal("3", request.Headers["X-Kite-Version"]);
    }

    [Theory]
    [InlineData(FeedMode.Quote)]
    [InlineData(FeedMode.Full)]
    public async Task Poll_QuoteFieldsNeeded_UsesTheFullQuoteEndpoint(FeedMode mode)
    {
        await Source().PollAsync(new StreamRequest(Registry, mode), CancellationToken.None);

        Assert.StartsWith("http://127.0.0.1:9/base/quote?i=NSE:INFY&", Assert.Single(_handler.Requests).Uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FeedMode.Ltp, 1000, 0)]
    [InlineData(FeedMode.Ltp, 1001, 1)]
    [InlineData(FeedMode.Quote, 500, 0)]
    [InlineData(FeedMode.Quote, 1200, 2)]
    [InlineData(FeedMode.Full, 3000, 5)]
    public void MinimumPollDuration_IsTheRateLimitedSpacingOfItsBatches(FeedMode mode, int instruments, int seconds)
    {
        var duration = ((IPollingSource)Source()).MinimumPollDuration(new StreamRequest(Many(instruments), mode));

        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public async Task Poll_1200InstrumentsForQuotes_SendsThreeBatchesOfAtMost500OneSecondApart()
    {
        var registry = Many(1200);
        var start = _time.GetUtcNow();

        var poll = Source().PollAsync(new StreamRequest(registry, FeedMode.Quote), CancellationToken.None).AsTask();
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
        Assert.Equal([500, 500, 200], _handler.Requests.Select(r => r.Instruments.Count));
        Assert.Equal(1200, result.Ticks.Count);
        Assert.Empty(result.Unfetched);
        Assert.All(result.Ticks, t => Assert.Equal(TickSource.Poll, t.Source));
    }

    [Fact]
    public async Task Poll_1001InstrumentsForLtp_SendsTwoBatches()
    {
        var poll = Source().PollAsync(new StreamRequest(Many(1001), FeedMode.Ltp), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));
        await poll.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([1000, 1], _handler.Requests.Select(r => r.Instruments.Count));
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
    public async Task Poll_LtpAnswer_ConvertsExactlyAndMissingKeysAreMisses()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""
            {"status":"success","data":{"NSE:INFY":{"instrument_token":408065,"last_price":1074.35},
             "CDS:USDINR23NOVFUT":{"instrument_token":412931,"last_price":83.2525},"NSE:UNASKED":{"instrument_token":1,"last_price":1}}}
            """));

        var result = await Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);

        var infy = result.Ticks.Single(t => t.Instrument.Token == "408065");
        Assert.Equal(107435L, infy.LastPriceUnits);
        Assert.Equal((byte)2, infy.PriceScale);
        Assert.Equal(_time.GetUtcNow(), infy.ReceiveTime);
        Assert.Null(infy.ExchangeTime);
        var usd = result.Ticks.Single(t => t.Instrument.Token == "412931");
        Assert.Equal((byte)7, usd.PriceScale);
        Assert.Equal(832_525_000L, usd.LastPriceUnits);
        Assert.Equal(2, result.Ticks.Count);
        Assert.Equal(["256265", "519937"], result.Unfetched.Select(m => m.Instrument.Token).Order());
        Assert.Contains(result.Unfetched, m => m.Message == "NSE:NIFTY 50 is not in Kite's quote response");
    }

    [Fact]
    public async Task Poll_FullQuoteAnswer_ReadsEveryFieldAndTheTimestampAsIst()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""
            {"status":"success","data":{"NSE:INFY":{"instrument_token":408065,"timestamp":"2021-06-08 15:45:56","last_trade_time":"2021-06-08 15:45:52",
              "last_price":1412.95,"last_quantity":5,"buy_quantity":0,"sell_quantity":5191,"volume":7360198,"average_price":1412.47,"oi":0,
              "oi_day_high":0,"oi_day_low":0,"net_change":0,"lower_circuit_limit":1250.7,"upper_circuit_limit":1528.6,
              "ohlc":{"open":1396,"high":1421.75,"low":1395.55,"close":1389.65},
              "depth":{"buy":[{"price":1412.9,"quantity":10,"orders":1}],"sell":[{"price":1412.95,"quantity":5191,"orders":13}]}}}}
            """));

        var result = await Source().PollAsync(new StreamRequest(Registry, FeedMode.Full), CancellationToken.None);

        var tick = result.Ticks.Single();
        Assert.Equal(1412.95m, tick.LastPrice);
        Assert.Equal(new DateTimeOffset(2021, 6, 8, 15, 45, 56, TimeSpan.FromHours(5.5)), tick.ExchangeTime);
        Assert.Equal(new DateTimeOffset(2021, 6, 8, 10, 15, 56, TimeSpan.Zero), tick.ExchangeTime);
        Assert.Equal(5L, tick.LastQuantity);
        Assert.Equal(7360198L, tick.Volume);
        Assert.Equal(1412.47m, tick.AveragePrice);
        Assert.Equal(0L, tick.TotalBuyQuantity);
        Assert.Equal(5191L, tick.TotalSellQuantity);
        Assert.Equal(1396m, tick.Open);
        Assert.Equal(1421.75m, tick.High);
        Assert.Equal(1395.55m, tick.Low);
        Assert.Equal(1389.65m, tick.Close);
        Assert.Equal(0L, tick.OpenInterest);
        Assert.Equal(1412.9m, tick.BidPrice);
        Assert.Equal(10L, tick.BidQuantity);
        Assert.Equal(1412.95m, tick.AskPrice);
        Assert.Equal(5191L, tick.AskQuantity);
    }

    [Fact]
    public async Task Poll_PriceWithMorePlacesThanPaise_KeepsItExactAtAHigherScale()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""{"status":"success","data":{"NSE:INFY":{"instrument_token":408065,"last_price":1074.355}}}"""));

        var tick = (await Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None)).Ticks.Single();

        Assert.Equal(1074.355m, tick.LastPrice);
        Assert.Equal((byte)3, tick.PriceScale);
    }

    [Fact]
    public async Task Poll_AnswerForAnotherToken_IsAMissNotATickForTheWrongInstrument()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""{"status":"success","data":{"NSE:INFY":{"instrument_token":738561,"last_price":2500}}}"""));

        var result = await Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);

        Assert.Empty(result.Ticks);
        Assert.Contains(result.Unfetched, m => m.Instrument.Token == "408065" && m.Message.Contains("instrument_token 738561", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Poll_429_IsRateLimitedHonouringRetryAfterAndSendsNothingDuringTheCooldown()
    {
        _respond = (_, _) =>
        {
            var response = RecordingHandler.Json("""{"status":"error","message":"Too many requests","error_type":"NetworkException"}""", HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(5));
            return Task.FromResult(response);
        };
        var source = Source();

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());
        Assert.Equal(DisconnectReason.RateLimited, ex.Reason);
        Assert.Equal(TimeSpan.FromSeconds(5), ex.RetryAfter);
        Assert.Contains("Too many requests (NetworkException)", ex.Message, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(2));
        var again = await Assert.ThrowsAsync<FeedConnectionException>(() => source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());
        Assert.Equal(DisconnectReason.RateLimited, again.Reason);
        Assert.Equal(TimeSpan.FromSeconds(3), again.RetryAfter);
        Assert.Single(_handler.Requests);

        _respond = (r, _) => Task.FromResult(RecordingHandler.Json(Echo(r)));
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(4, (await source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None)).Ticks.Count);
    }

    [Fact]
    public async Task Poll_NetworkExceptionEnvelopeWithoutRetryAfter_CoolsDownTwoSpacingsThenLonger()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""{"status":"error","message":"Too many requests","error_type":"NetworkException"}""", HttpStatusCode.OK));
        var source = Source();

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());
        Assert.Equal(DisconnectReason.RateLimited, ex.Reason);
        Assert.Equal(TimeSpan.FromSeconds(2), ex.RetryAfter);
        Assert.Contains(_logs.Lines, l => l.EventId == 6021);

        // Still limited after the first cooldown: the next one is twice as long.
        _time.Advance(TimeSpan.FromSeconds(2));
        var again = await Assert.ThrowsAsync<FeedConnectionException>(() => source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());
        Assert.Equal(TimeSpan.FromSeconds(4), again.RetryAfter);
        Assert.Equal(2, _handler.Requests.Count);
    }

    [Fact]
    public async Task Poll_NetworkExceptionWithA5xx_IsANetworkErrorNotARateLimit()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""{"status":"error","message":"Gateway timed out","error_type":"NetworkException"}""", HttpStatusCode.GatewayTimeout));
        var source = Source();

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.NetworkError, ex.Reason);
        Assert.Null(ex.RetryAfter);
        Assert.Contains("HTTP 504", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway timed out", ex.Message, StringComparison.Ordinal);

        // No cooldown: the next poll asks again (at the source's own pace).
        _respond = (r, _) => Task.FromResult(RecordingHandler.Json(Echo(r)));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(4, (await source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None)).Ticks.Count);
    }

    [Theory]
    [InlineData(403, """{"status":"error","message":"Incorrect `api_key` or `access_token`.","error_type":"TokenException"}""")]
    [InlineData(200, """{"status":"error","message":"Token is invalid or has expired.","error_type":"TokenException"}""")]
    [InlineData(403, "")]
    public async Task Poll_TokenException_IsAuthRejectedWithoutTheCredentials(int status, string body)
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json(body, (HttpStatusCode)status));

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.AuthRejected, ex.Reason);
        Assert.DoesNotContain("access-token-1", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("api-key-1", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Poll_BrokerMessageEchoingTheToken_IsRedacted()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""{"status":"error","message":"bad token access-token-1","error_type":"InputException"}""", HttpStatusCode.BadRequest));

        var ex = await Assert.ThrowsAsync<FeedConnectionException>(() => Source().PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.NetworkError, ex.Reason);
        Assert.Contains("bad token *** (InputException)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("access-token-1", _logs.AllText, StringComparison.Ordinal);
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
        _respond = (r, _) => Task.FromResult(r.Number == 2 ? RecordingHandler.Text("bad gateway", HttpStatusCode.BadGateway) : RecordingHandler.Json(Echo(r)));

        var poll = Source().PollAsync(new StreamRequest(Many(1200), FeedMode.Ltp), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));
        var result = await poll.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1000, result.Ticks.Count);
        Assert.Equal(200, result.Unfetched.Count);
        Assert.All(result.Unfetched, m => Assert.Contains("HTTP 502", m.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Poll_ReadsCredentialsForEveryRequest()
    {
        var token = "first";
        var source = Source(() => Credentials with { AccessToken = token });

        await source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);
        token = "second";
        _time.Advance(TimeSpan.FromSeconds(1));
        await source.PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None);

        Assert.Equal(["token api-key-1:first", "token api-key-1:second"], _handler.Requests.Select(r => r.Headers["Authorization"]));
    }

    [Fact]
    public async Task Poll_MissingCredential_IsAuthRejectedNamingTheKeys()
    {
        var ex = await Assert.ThrowsAsync<FeedConnectionException>(
            () => Source(() => Credentials with { AccessToken = "" }).PollAsync(new StreamRequest(Registry, FeedMode.Ltp), CancellationToken.None).AsTask());

        Assert.Equal(DisconnectReason.AuthRejected, ex.Reason);
        Assert.Contains("FeedGuard:Kite:AccessToken", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public void Validate_InstrumentsWithoutSymbolOrNumericToken_AreNamed()
    {
        var registry = new InstrumentRegistry([InstrumentKey.Parse("NSE:408065"), InstrumentKey.Parse("NSE:ABC:INFY"), InstrumentKey.Parse("NSE:884737:TATAMOTORS")]);

        var errors = string.Join("\n", Source().Validate(new StreamRequest(registry, FeedMode.Ltp)));

        Assert.Contains("NSE:408065:", errors, StringComparison.Ordinal);
        Assert.Contains("no trading symbol", errors, StringComparison.Ordinal);
        Assert.Contains("NSE:ABC:INFY", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("TATAMOTORS", errors, StringComparison.Ordinal);
    }
}
