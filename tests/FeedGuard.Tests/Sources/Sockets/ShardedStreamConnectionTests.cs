using FeedGuard.Sources;
using FeedGuard.Sources.Sockets;

namespace FeedGuard.Tests.Sources.Sockets;

public sealed class ShardedStreamConnectionTests
{
    private readonly FakeShard[] _shards = [new(1), new(2), new(3)];

    [Fact]
    public async Task Completion_FirstShardToEnd_EndsTheConnectionWithItsReasonAndClosesTheRest()
    {
        var connection = new ShardedStreamConnection(_shards);

        _shards[1].End(DisconnectReason.NoData, "socket 2 silent");
        _shards[0].End(DisconnectReason.ClosedByServer, "socket 1 closed");

        var ended = await connection.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DisconnectReason.NoData, ended.Reason);
        Assert.Equal("socket 2 silent", ended.Message);

        await connection.DisposeAsync();
        Assert.All(_shards, s => Assert.True(s.Disposals >= 1));
    }

    [Fact]
    public async Task DisposeAsync_EndsAsClosedByTheClientAndClosesEveryShardOnce()
    {
        var connection = new ShardedStreamConnection(_shards);

        await connection.DisposeAsync();
        await connection.DisposeAsync();

        Assert.Equal(DisconnectReason.None, (await connection.Completion).Reason);
        Assert.All(_shards, s => Assert.Equal(1, s.Disposals));
    }

    [Fact]
    public void Completion_WhileEveryShardLives_IsPending() =>
        Assert.False(new ShardedStreamConnection(_shards).Completion.IsCompleted);
}
