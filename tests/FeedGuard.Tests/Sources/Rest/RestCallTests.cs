using System.Net;
using System.Text;
using FeedGuard.Sources;
using FeedGuard.Sources.Rest;
using FeedGuard.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Tests.Sources.Rest;

public sealed class RestCallTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero));
    private readonly HttpClient _http;
    private Func<RecordingHandler.Recorded, CancellationToken, Task<HttpResponseMessage>> _respond = (_, _) => Task.FromResult(RecordingHandler.Json("{}"));

    public RestCallTests()
    {
        _http = new HttpClient(new RecordingHandler(_time, (r, ct) => _respond(r, ct)));
    }

    public void Dispose() => _http.Dispose();

    private Task<string> SendAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/quote");
        return RestCall.SendAsync(
            _http,
            request,
            "Test quote request",
            TimeSpan.FromSeconds(5),
            "Test:PollRequestTimeout",
            text => text.Replace("s3cret", "***", StringComparison.Ordinal),
            (response, body) => $"{(int)response.StatusCode} {Encoding.UTF8.GetString(body)}",
            _time,
            cancellationToken);
    }

    [Fact]
    public async Task SendAsync_HandsStatusAndWholeBodyToTheInterpreter()
    {
        _respond = (_, _) => Task.FromResult(RecordingHandler.Json("""{"status":"error"}""", HttpStatusCode.BadGateway));

        Assert.Equal("""502 {"status":"error"}""", await SendAsync());
    }

    [Fact]
    public async Task SendAsync_NoAnswerWithinTheTimeout_IsANetworkErrorNamingTheKey()
    {
        _respond = async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        };

        var call = SendAsync();
        _time.Advance(TimeSpan.FromSeconds(5));
        var failure = await Assert.ThrowsAsync<FeedConnectionException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(DisconnectReason.NetworkError, failure.Reason);
        Assert.Equal("Test quote request timed out after 5 s (Test:PollRequestTimeout).", failure.Message);
    }

    [Fact]
    public async Task SendAsync_TransportFailure_IsARedactedNetworkErrorWithoutTheRuntimeException()
    {
        _respond = (_, _) => throw new HttpRequestException("connection to https://x/?token=s3cret refused");

        var failure = await Assert.ThrowsAsync<FeedConnectionException>(() => SendAsync());

        Assert.Equal(DisconnectReason.NetworkError, failure.Reason);
        Assert.Equal("Test quote request failed: connection to https://x/?token=*** refused", failure.Message);
        Assert.Null(failure.InnerException);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_IsACancellationNotAFailure()
    {
        using var cts = new CancellationTokenSource();
        _respond = async (_, ct) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            throw new InvalidOperationException("unreachable");
        };

        var call = SendAsync(cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData("""{"a":1}""", true)]
    [InlineData("", false)]
    [InlineData("[1]", false)]
    [InlineData("{not json", false)]
    [InlineData("<html>", false)]
    public void TryParseObject_OnlyAJsonObjectParses(string body, bool parses) =>
        Assert.Equal(parses, RestCall.TryParseObject(Encoding.UTF8.GetBytes(body)).HasValue);
}
