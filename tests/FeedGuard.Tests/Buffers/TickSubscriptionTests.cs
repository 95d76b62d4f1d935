using FeedGuard.Buffers;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Buffers;

/// <summary>A subscription's lifecycle: subscribe, read, leave, and the feed stopping under it.</summary>
public sealed class TickSubscriptionTests
{
    [Theory]
    [InlineData(BufferPolicy.DropOldest)]
    [InlineData(BufferPolicy.Wait)]
    [InlineData(BufferPolicy.LatestPerInstrument)]
    public async Task DisposeAsync_TicksBuffered_GetsNoMoreTicksAndEnumerationEndsAfterDraining(BufferPolicy policy)
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "leaving", Policy = policy, Capacity = 100 });
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0), TickSeries.Stream(h.RelianceInstrument, h.Now, 1));

        await sub.DisposeAsync();
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 2, 5));

        Assert.Equal(2, sub.Delivered);
        Assert.Empty(h.Feed.GetStreamStatus().Subscribers);
        var leftOver = await TickSeries.ReadToEndAsync(sub);
        Assert.Equal([0L, 1L], TickSeries.Sequences(leftOver));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await sub.ReadAsync());
    }

    [Fact]
    public async Task DisposeAsync_OneOfTwoSubscribers_OtherKeepsReceiving()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var leaving = h.Feed.Subscribe(new SubscriptionOptions { Name = "leaving" });
        var staying = h.Feed.Subscribe(new SubscriptionOptions { Name = "staying" });

        await leaving.DisposeAsync();
        await leaving.DisposeAsync();
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 3));

        Assert.Equal([0L, 1L, 2L], TickSeries.Sequences(TickSeries.Drain(staying)));
        Assert.Equal(0, leaving.Delivered);
        Assert.Equal(["staying"], h.Feed.GetStreamStatus().Subscribers.Select(s => s.Name));
    }

    [Fact]
    public async Task StopAsync_SubscribersOfEveryPolicy_EachEndsAfterDrainingItsBuffer()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var dropOldest = h.Feed.Subscribe(new SubscriptionOptions { Name = "drop", Policy = BufferPolicy.DropOldest, Capacity = 2 });
        var wait = h.Feed.Subscribe(new SubscriptionOptions { Name = "wait", Policy = BufferPolicy.Wait, Capacity = 10 });
        var latest = h.Feed.Subscribe(new SubscriptionOptions { Name = "latest", Policy = BufferPolicy.LatestPerInstrument });
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 4));
        var waiting = ReadAllAsync(wait);
        Assert.False(waiting.IsCompleted);

        await h.Feed.StopAsync();

        var fromDropOldest = await TickSeries.ReadToEndAsync(dropOldest);
        var fromWait = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        var fromLatest = await TickSeries.ReadToEndAsync(latest);
        Assert.Equal([2L, 3L], TickSeries.Sequences(fromDropOldest));
        Assert.Equal([0L, 1L, 2L, 3L], TickSeries.Sequences(fromWait));
        Assert.Equal([3L], TickSeries.Sequences(fromLatest));
        Assert.False(await h.Feed.Subscribe().WaitToReadAsync());
    }

    [Fact]
    public async Task GetNextTickAsync_TicksInSeveralMessages_ReturnsThemInOrder()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var first = h.Feed.GetNextTickAsync().AsTask();
        Assert.False(first.IsCompleted);

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 3));
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.RelianceInstrument, h.Now, 3), TickSeries.Stream(h.SbinInstrument, h.Now, 4));

        var ticks = new List<Tick> { await first.WaitAsync(TimeSpan.FromSeconds(10)) };
        for (var i = 0; i < 4; i++)
        {
            ticks.Add(await h.Feed.GetNextTickAsync());
        }

        Assert.Equal([0L, 1L, 2L, 3L, 4L], TickSeries.Sequences(ticks));
        Assert.Equal(h.RelianceInstrument, ticks[3].Instrument);
        Assert.False(h.Feed.GetNextTickAsync().IsCompleted);
    }

    // Waits in the enumerator from the start, so it is a reader parked on the buffer when the feed stops.
    private static async Task<List<Tick>> ReadAllAsync(TickSubscription subscription)
    {
        var ticks = new List<Tick>();
        await foreach (var tick in subscription)
        {
            ticks.Add(tick);
        }

        return ticks;
    }
}
