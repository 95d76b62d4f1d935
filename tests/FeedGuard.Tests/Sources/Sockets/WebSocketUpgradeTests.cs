using System.Net;
using FeedGuard.Sources;
using FeedGuard.Sources.Sockets;
using FeedGuard.Testing;

namespace FeedGuard.Tests.Sources.Sockets;

public sealed class WebSocketUpgradeTests
{
    [Fact]
    public async Task ConnectAsync_NothingListening_IsClassifiedByTheBrokerWithNoHttpStatus()
    {
        var port = CannedHttpAnswer.ClosedPort();
        HttpStatusCode? seen = null;
        var headersSet = false;

        var failure = await Assert.ThrowsAsync<FeedConnectionException>(async () => await WebSocketUpgrade.ConnectAsync(
            new Uri($"ws://127.0.0.1:{port}/"),
            TimeSpan.Zero,
            Timeout.InfiniteTimeSpan,
            options =>
            {
                options.SetRequestHeader("X-Test", "1");
                headersSet = true;
            },
            (status, _, cause) =>
            {
                seen = status;
                return new FeedConnectionException(DisconnectReason.NetworkError, $"refused: {cause.GetType().Name}");
            },
            CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        Assert.True(headersSet);
        Assert.Equal((HttpStatusCode)0, seen);
        Assert.StartsWith("refused: ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_IsFoundWhateverItsCase()
    {
        var headers = new Dictionary<string, IEnumerable<string>> { ["X-Error-Message"] = ["Invalid feed token", "second"] };

        Assert.Equal("Invalid feed token", WebSocketUpgrade.Header(headers, "x-error-message"));
        Assert.Null(WebSocketUpgrade.Header(headers, "Retry-After"));
        Assert.Null(WebSocketUpgrade.Header(null, "Retry-After"));
    }
}
