using System.Net.WebSockets;
using FeedGuard.Sources;
using FeedGuard.Sources.Sockets;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Tests.Sources.Sockets;

public sealed class ShardConnectorTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero));
    private readonly List<(int Socket, DisconnectReason Reason, string Message)> _failed = [];
    private readonly List<FakeShard> _opened = [];
    private readonly List<int> _subscribed = [];
    private readonly ShardConnector _connector;

    public ShardConnectorTests()
    {
        _connector = new ShardConnector("Test ticker", TimeSpan.FromSeconds(10), "Test:ConnectTimeout", _time, (s, r, m) => _failed.Add((s, r, m)));
    }

    private Task<FakeShard[]> ConnectAsync(int count, Func<int, Exception?>? failOpen = null, Func<FakeShard, CancellationToken, Task>? subscribe = null) =>
        _connector.ConnectAllAsync(
            count,
            (index, _) =>
            {
                if (failOpen?.Invoke(index) is { } failure)
                {
                    return Task.FromException<FakeShard>(failure);
                }

                var shard = new FakeShard(index);
                lock (_opened)
                {
                    _opened.Add(shard);
                }

                return Task.FromResult(shard);
            },
            subscribe ?? ((shard, _) =>
            {
                lock (_subscribed)
                {
                    _subscribed.Add(shard.Index);
                }

                return Task.CompletedTask;
            }),
            ex => $"{ex.GetType().Name}: {ex.Message}",
            CancellationToken.None);

    [Fact]
    public async Task ConnectAllAsync_EverySocketOpens_ReturnsThemInOrderSubscribed()
    {
        var shards = await ConnectAsync(3);

        Assert.Equal([1, 2, 3], shards.Select(s => s.Index));
        Assert.Equal([1, 2, 3], _subscribed.Order());
        Assert.All(shards, s => Assert.Equal(0, s.Disposals));
    }

    [Fact]
    public async Task ConnectAllAsync_SeveralFail_ThrowsTheMostDecisiveAndClosesTheOpenedOnes()
    {
        var failure = await Assert.ThrowsAsync<FeedConnectionException>(() => ConnectAsync(3, index => index switch
        {
            1 => new FeedConnectionException(DisconnectReason.RateLimited, "429"),
            3 => new FeedConnectionException(DisconnectReason.AuthRejected, "403"),
            _ => null,
        }));

        Assert.Equal(DisconnectReason.AuthRejected, failure.Reason);
        Assert.Equal(1, Assert.Single(_opened).Disposals);
        Assert.Equal([(1, DisconnectReason.RateLimited, "429"), (3, DisconnectReason.AuthRejected, "403")], _failed.OrderBy(f => f.Socket));
    }

    [Fact]
    public async Task ConnectAllAsync_SubscribeNeverFinishes_TimesOutAsANetworkErrorNamingTheKey()
    {
        var connecting = ConnectAsync(1, subscribe: (_, ct) => Task.Delay(Timeout.InfiniteTimeSpan, ct));
        _time.Advance(TimeSpan.FromSeconds(10));

        var failure = await Assert.ThrowsAsync<FeedConnectionException>(() => connecting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(DisconnectReason.NetworkError, failure.Reason);
        Assert.Equal("Test ticker socket 1 did not connect and subscribe within 10 s (Test:ConnectTimeout).", failure.Message);
        Assert.Equal(1, Assert.Single(_opened).Disposals);
        Assert.Equal(failure.Message, Assert.Single(_failed).Message);
    }

    [Fact]
    public async Task ConnectAllAsync_SocketBreaksWhileSubscribing_IsANetworkErrorDescribedByTheBroker()
    {
        var failure = await Assert.ThrowsAsync<FeedConnectionException>(() =>
            ConnectAsync(1, subscribe: (_, _) => Task.FromException(new WebSocketException("reset"))));

        Assert.Equal(DisconnectReason.NetworkError, failure.Reason);
        Assert.Equal("Test ticker socket 1 failed while subscribing: WebSocketException: reset", failure.Message);
        Assert.Equal(1, Assert.Single(_opened).Disposals);
    }

    [Fact]
    public async Task ConnectAllAsync_UnclassifiedFailure_IsRethrownAfterClosingTheSocket()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ConnectAsync(1, subscribe: (_, _) => Task.FromException(new InvalidOperationException("bug"))));

        Assert.Equal(1, Assert.Single(_opened).Disposals);
        Assert.Empty(_failed);
    }

    [Fact]
    public async Task ConnectAllAsync_Cancelled_IsACancellation()
    {
        using var cts = new CancellationTokenSource();
        var connecting = _connector.ConnectAllAsync(
            2,
            (index, _) => Task.FromResult(new FakeShard(index)),
            (_, ct) => Task.Delay(Timeout.InfiniteTimeSpan, ct),
            ex => ex.Message,
            cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void MostDecisive_PrefersAuthThenRateLimitThenTheFirstOther()
    {
        FeedConnectionException network = new(DisconnectReason.NetworkError, "n"), closed = new(DisconnectReason.ClosedByServer, "c"),
            rate = new(DisconnectReason.RateLimited, "r"), auth = new(DisconnectReason.AuthRejected, "a");

        Assert.Same(auth, ShardConnector.MostDecisive([network, rate, auth]));
        Assert.Same(rate, ShardConnector.MostDecisive([network, rate, closed]));
        Assert.Same(network, ShardConnector.MostDecisive([network, closed]));
        Assert.Null(ShardConnector.MostDecisive([]));
    }
}
