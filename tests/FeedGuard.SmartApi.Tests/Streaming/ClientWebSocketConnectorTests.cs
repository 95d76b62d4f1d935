using FeedGuard.SmartApi.Streaming;
using FeedGuard.Sources;
using FeedGuard.Testing;

namespace FeedGuard.SmartApi.Tests.Streaming;

/// <summary>
/// The real ClientWebSocket against a loopback listener that answers the upgrade with a canned
/// HTTP refusal: proves the headers go out and the refusal is read back (CollectHttpResponseDetails).
/// </summary>
public sealed class ClientWebSocketConnectorTests
{
    private static readonly SmartApiCredentials Credentials = new() { ApiKey = "key-1", ClientCode = "C1", JwtToken = "jwt-1", FeedToken = "feed-1" };

    private static async Task<(FeedConnectionException Error, string Request)> ConnectAgainstAsync(string response, SmartApiOptions? options = null)
    {
        return await CannedHttpAnswer.RunAsync(response, port =>
        {
            var connector = new ClientWebSocketConnector((options ?? new SmartApiOptions()) with { StreamUrl = new Uri($"ws://127.0.0.1:{port}/smart-stream") }, TimeProvider.System);
            return Assert.ThrowsAsync<FeedConnectionException>(() => connector.ConnectAsync(Credentials, CancellationToken.None).AsTask());
        });
    }

    [Fact]
    public async Task Connect_SendsTheFourAuthHeadersWithTheRawJwt()
    {
        var (_, request) = await ConnectAgainstAsync("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("GET /smart-stream HTTP/1.1", request, StringComparison.Ordinal);
        Assert.Contains("Authorization: jwt-1\r\n", request, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-api-key: key-1\r\n", request, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-client-code: C1\r\n", request, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("x-feed-token: feed-1\r\n", request, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Connect_BearerPrefixOption_PrefixesTheJwt()
    {
        var (_, request) = await ConnectAgainstAsync("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", new SmartApiOptions { StreamBearerPrefix = true });

        Assert.Contains("Authorization: Bearer jwt-1\r\n", request, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Connect_401WithErrorMessage_IsAuthRejectedCarryingIt()
    {
        var (error, _) = await ConnectAgainstAsync("HTTP/1.1 401 Unauthorized\r\nx-error-message: Invalid Header - Invalid Auth token\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.Equal(DisconnectReason.AuthRejected, error.Reason);
        Assert.Contains("Invalid Header - Invalid Auth token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_429_IsRateLimited()
    {
        var (error, _) = await ConnectAgainstAsync("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 12\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.Equal(DisconnectReason.RateLimited, error.Reason);
        Assert.Equal(TimeSpan.FromSeconds(12), error.RetryAfter);
    }

    [Fact]
    public async Task Connect_500_IsNetworkError()
    {
        var (error, _) = await ConnectAgainstAsync("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.Equal(DisconnectReason.NetworkError, error.Reason);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_NothingListening_IsNetworkError()
    {
        var port = CannedHttpAnswer.ClosedPort();
        var connector = new ClientWebSocketConnector(new SmartApiOptions { StreamUrl = new Uri($"ws://127.0.0.1:{port}/smart-stream") }, TimeProvider.System);

        var error = await Assert.ThrowsAsync<FeedConnectionException>(() => connector.ConnectAsync(Credentials, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(DisconnectReason.NetworkError, error.Reason);
    }
}
