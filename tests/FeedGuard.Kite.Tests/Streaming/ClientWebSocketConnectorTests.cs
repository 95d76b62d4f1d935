using FeedGuard.Kite.Streaming;
using FeedGuard.Sources;
using FeedGuard.Testing;

namespace FeedGuard.Kite.Tests.Streaming;

/// <summary>
/// The real ClientWebSocket against a loopback listener that answers the upgrade with a canned
/// HTTP refusal: proves the query and header go out and the refusal is read back and classified.
/// </summary>
public sealed class ClientWebSocketConnectorTests
{
    private static readonly KiteCredentials Credentials = new() { ApiKey = "api-key-secret", AccessToken = "access-token-secret" };

    private static async Task<(FeedConnectionException Error, string Request)> ConnectAgainstAsync(string response, string path = "")
    {
        return await CannedHttpAnswer.RunAsync(response, port =>
        {
            var connector = new ClientWebSocketConnector(new KiteOptions { StreamUrl = new Uri($"ws://127.0.0.1:{port}{path}") }, TimeProvider.System);
            return Assert.ThrowsAsync<FeedConnectionException>(() => connector.ConnectAsync(Credentials, CancellationToken.None).AsTask());
        });
    }

    private const string Refused500 = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task Connect_SendsCredentialsAsQueryParametersAndTheKiteVersionHeader()
    {
        var (_, request) = await ConnectAgainstAsync(Refused500);

        Assert.StartsWith("GET /?api_key=api-key-secret&access_token=access-token-secret HTTP/1.1\r\n", request, StringComparison.Ordinal);
        Assert.Contains("X-Kite-Version: 3\r\n", request, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Authorization", request, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AuthenticatedUrl_KeepsAConfiguredQueryAndEscapesValues()
    {
        var url = ClientWebSocketConnector.AuthenticatedUrl(new Uri("wss://example.test/ticker?uid=7"), new KiteCredentials { ApiKey = "k&1", AccessToken = "t=2" });

        Assert.Equal("wss://example.test/ticker?uid=7&api_key=k%261&access_token=t%3D2", url.AbsoluteUri);
    }

    [Fact]
    public async Task Connect_403_IsAuthRejectedAsTokenException()
    {
        var (error, _) = await ConnectAgainstAsync("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.Equal(DisconnectReason.AuthRejected, error.Reason);
        Assert.Contains("TokenException", error.Message, StringComparison.Ordinal);
        Assert.Contains("FeedGuard:Kite:AccessToken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_429_IsRateLimitedWithRetryAfter()
    {
        var (error, _) = await ConnectAgainstAsync("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 12\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.Equal(DisconnectReason.RateLimited, error.Reason);
        Assert.Equal(TimeSpan.FromSeconds(12), error.RetryAfter);
    }

    [Fact]
    public async Task Connect_500_IsNetworkError()
    {
        var (error, _) = await ConnectAgainstAsync(Refused500);

        Assert.Equal(DisconnectReason.NetworkError, error.Reason);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    [InlineData("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    [InlineData(Refused500)]
    [InlineData("garbage\r\n\r\n")]
    public async Task Connect_EveryFailure_KeepsCredentialsOutOfTheExceptionChain(string response)
    {
        var (error, _) = await ConnectAgainstAsync(response);

        var text = error.ToString();
        Assert.DoesNotContain("access-token-secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain("api-key-secret", text, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
    }

    [Fact]
    public async Task Connect_NothingListening_IsNetworkErrorWithoutCredentials()
    {
        var port = CannedHttpAnswer.ClosedPort();
        var connector = new ClientWebSocketConnector(new KiteOptions { StreamUrl = new Uri($"ws://127.0.0.1:{port}") }, TimeProvider.System);

        var error = await Assert.ThrowsAsync<FeedConnectionException>(() => connector.ConnectAsync(Credentials, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.Equal(DisconnectReason.NetworkError, error.Reason);
        Assert.DoesNotContain("access-token-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_RuntimeMessageQuotingTheUrl_IsRedacted()
    {
        var ex = new WebSocketExceptionLike("Unable to connect to wss://ws.kite.trade/?api_key=api-key-secret&access_token=access-token-secret (refused)");

        var text = HandshakeClassifier.Describe(ex, Credentials);

        Assert.Equal("WebSocketExceptionLike: Unable to connect to wss://ws.kite.trade/?(redacted) (refused)", text);
    }

    private sealed class WebSocketExceptionLike(string message) : Exception(message);
}
