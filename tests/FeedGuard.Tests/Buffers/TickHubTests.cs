using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Status;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Buffers;

/// <summary>
/// Fan-out from the feed to subscriber buffers: a subscriber that falls behind stays bounded, loses
/// exactly what its policy says (and counts it), and does not take ticks from anyone else.
/// </summary>
public sealed class TickHubTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Subscribe_DropOldestNeverRead_StaysBoundedKeepsNewestAndCountsEveryDrop()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var idle = h.Feed.Subscribe(new SubscriptionOptions { Name = "idle", Policy = BufferPolicy.DropOldest, Capacity = 8 });
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Name = "reader", Policy = BufferPolicy.DropOldest, Capacity = 16 });
        var received = new List<Tick>();

        for (var batch = 0; batch < 100; batch++)
        {
            await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, batch * 10, 10));
            Assert.InRange(idle.Count, 0, 8);
            received.AddRange(TickSeries.Drain(reader));
        }

        Assert.Equal((8, 1000L, 992L), (idle.Count, idle.Delivered, idle.Dropped));
        Assert.Equal(Enumerable.Range(992, 8).Select(n => (long)n), TickSeries.Sequences(TickSeries.Drain(idle)));
        Assert.Equal(Enumerable.Range(0, 1000).Select(n => (long)n), TickSeries.Sequences(received));
        Assert.Equal(0, reader.Dropped);
    }

    [Fact]
    public async Task Subscribe_ConflatingNeverRead_HoldsOneTickPerInstrumentAndCountsEveryOverwrite()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var idle = h.Feed.Subscribe(new SubscriptionOptions { Name = "idle", Policy = BufferPolicy.LatestPerInstrument });
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Name = "reader", Policy = BufferPolicy.Wait, Capacity = 4 });
        var received = new List<Tick>();

        for (var n = 0; n < 500; n++)
        {
            var instrument = n % 2 == 0 ? h.SbinInstrument : h.RelianceInstrument;
            await h.Stream.Current.EmitAsync(TickSeries.Stream(instrument, h.Now, n));
            Assert.InRange(idle.Count, 0, 2);
            received.AddRange(TickSeries.Drain(reader));
        }

        Assert.Equal(2, idle.Capacity);
        Assert.Equal((2, 500L, 498L), (idle.Count, idle.Delivered, idle.Dropped));
        Assert.Equal([498L, 499L], TickSeries.Sequences(TickSeries.Drain(idle)));
        Assert.Equal(Enumerable.Range(0, 500).Select(n => (long)n), TickSeries.Sequences(received));
    }

    [Fact]
    public async Task EmitAsync_WaitSubscriberFull_StallsUntilSubscriberReadsAndLosesNothing()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var recorder = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 4 });
        var other = h.Feed.Subscribe(new SubscriptionOptions { Name = "other", Policy = BufferPolicy.DropOldest, Capacity = 100 });
        var ticks = TickSeries.Stream(h.SbinInstrument, h.Now, 0, 6);

        await h.Stream.Current.EmitAsync(ticks[..4]);
        var stalled = h.Stream.Current.EmitAsync(ticks[4..]).AsTask();

        Assert.False(stalled.IsCompleted);
        Assert.Equal((4, 0L, true), (recorder.Count, recorder.Dropped, recorder.IsSlow));
        var slow = Assert.Single(h.Events.OfType<SlowConsumerEvent>());
        Assert.Equal(("recorder", BufferPolicy.Wait, 4), (slow.Subscriber, slow.Policy, slow.Capacity));

        // One read makes room for one tick; the second of the batch still waits.
        Assert.True(recorder.TryRead(out var first));
        Assert.Equal(0, first.Sequence);
        Assert.False(stalled.IsCompleted);
        Assert.True(recorder.TryRead(out _));
        await stalled.WaitAsync(Bound);

        Assert.Equal([2L, 3L, 4L, 5L], TickSeries.Sequences(TickSeries.Drain(recorder)));
        Assert.Equal((6L, 0L), (recorder.Delivered, recorder.Dropped));
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L], TickSeries.Sequences(TickSeries.Drain(other)));
    }

    [Fact]
    public async Task DisposeAsync_StalledWaitSubscriber_ReleasesProducerAndOthersGetEveryTick()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var recorder = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 2 });
        var other = h.Feed.Subscribe(new SubscriptionOptions { Name = "other", Policy = BufferPolicy.DropOldest, Capacity = 100 });

        var stalled = h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 3)).AsTask();
        Assert.False(stalled.IsCompleted);

        await recorder.DisposeAsync();
        await stalled.WaitAsync(Bound);

        // The feed no longer waits for the departed subscriber: the next batch goes straight through.
        var next = h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 3, 3));
        Assert.True(next.IsCompletedSuccessfully);
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L], TickSeries.Sequences(TickSeries.Drain(other)));
        var leftOver = await TickSeries.ReadToEndAsync(recorder);
        Assert.Equal([0L, 1L], TickSeries.Sequences(leftOver));
        Assert.Equal(6, h.Feed.GetStreamStatus().Counters.Delivered);
        Assert.Equal(["other"], h.Feed.GetStreamStatus().Subscribers.Select(s => s.Name));
    }

    [Theory]
    [InlineData(BufferPolicy.DropOldest)]
    [InlineData(BufferPolicy.LatestPerInstrument)]
    public async Task DisposeAsync_SubscriberLeavesWhileFeedWaitsForRecorder_IsNotReportedSlow(BufferPolicy policy)
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var recorder = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 1 });
        var leaving = h.Feed.Subscribe(new SubscriptionOptions { Name = "leaving", Policy = policy, Capacity = 10 });

        // The feed holds the batch's run for the recorder (full after one tick), with the subscriber list it
        // had when the batch began: the subscriber after the recorder is still owed the run when it leaves.
        var stalled = h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 2)).AsTask();
        await leaving.DisposeAsync();
        Assert.True(recorder.TryRead(out _));
        await stalled.WaitAsync(Bound);

        Assert.Equal(["recorder"], SlowEvents(h).Select(e => e.Subscriber));
        Assert.Equal((0L, 0L, false), (leaving.Delivered, leaving.Dropped, leaving.IsSlow));
        Assert.Empty(await TickSeries.ReadToEndAsync(leaving));
        Assert.Equal(2L, recorder.Delivered);
    }

    [Fact]
    public async Task Subscribe_DropOldestFallsBehindAgainWithinTheReportInterval_CountsTheEpisodeAndReportsItWithTheNext()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "gui", Policy = BufferPolicy.DropOldest, Capacity = 2 });
        var n = 0L;
        async Task EmitAsync(int count)
        {
            await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, n, count));
            n += count;
        }

        await EmitAsync(5);
        Assert.Equal(new SubscriberStatus { Name = "gui", Policy = BufferPolicy.DropOldest, Capacity = 2, Buffered = 2, Delivered = 5, Dropped = 3, Slow = true, SlowEpisodes = 1 }, Status(h));
        await EmitAsync(5);
        Assert.True(sub.TryRead(out _));
        await EmitAsync(1);
        Assert.Single(SlowEvents(h));

        TickSeries.Drain(sub);
        Assert.Equal(new SubscriberStatus { Name = "gui", Policy = BufferPolicy.DropOldest, Capacity = 2, Buffered = 0, Delivered = 11, Dropped = 8, Slow = false, SlowEpisodes = 1 }, Status(h));
        await EmitAsync(2);
        Assert.Single(SlowEvents(h));
        Assert.False(Status(h).Slow);

        // A second episode within the report interval is counted, not reported on its own.
        await EmitAsync(1);
        Assert.Single(SlowEvents(h));
        Assert.Equal(new SubscriberStatus { Name = "gui", Policy = BufferPolicy.DropOldest, Capacity = 2, Buffered = 2, Delivered = 14, Dropped = 9, Slow = true, SlowEpisodes = 2 }, Status(h));

        // The first episode after the interval is reported, with the one held back.
        await PassReportIntervalAsync(h, sub);
        await EmitAsync(3);
        Assert.Equal([1L, 2L], SlowEvents(h).Select(e => e.Episodes));
        Assert.Equal(3, Status(h).SlowEpisodes);
    }

    [Fact]
    public async Task Subscribe_ConflatingFallsBehindAtEveryRead_ReportsOnceAnIntervalWithTheEpisodesItHeldBack()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument });

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0), TickSeries.Stream(h.RelianceInstrument, h.Now, 1));
        Assert.Empty(SlowEvents(h));
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 2), TickSeries.Stream(h.SbinInstrument, h.Now, 3));
        Assert.Equal(new SubscriberStatus { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument, Capacity = 2, Buffered = 2, Delivered = 4, Dropped = 2, Slow = true, SlowEpisodes = 1 }, Status(h));
        Assert.Single(SlowEvents(h));

        TickSeries.Drain(sub);
        Assert.False(Status(h).Slow);
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 4));
        Assert.Single(SlowEvents(h));
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 5));

        // A reader a little behind a busy market starts an episode at every read: one report an interval.
        Assert.Single(SlowEvents(h));
        Assert.Equal(new SubscriberStatus { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument, Capacity = 2, Buffered = 1, Delivered = 6, Dropped = 3, Slow = true, SlowEpisodes = 2 }, Status(h));
        for (var read = 0; read < 3; read++)
        {
            TickSeries.Drain(sub);
            await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 6 + (2 * read), 2));
        }

        Assert.Single(SlowEvents(h));
        await PassReportIntervalAsync(h, sub);
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 12, 2));
        Assert.Equal([1L, 5L], SlowEvents(h).Select(e => e.Episodes));
        Assert.Equal(6, Status(h).SlowEpisodes);
    }

    [Fact]
    public async Task Subscribe_WaitFallsBehindTwiceWithinTheReportInterval_ReportsTheFirstAndCountsBoth()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 2 });

        var stalled = h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 3)).AsTask();
        Assert.Equal(new SubscriberStatus { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 2, Buffered = 2, Delivered = 2, Dropped = 0, Slow = true, SlowEpisodes = 1 }, Status(h));
        Assert.True(sub.TryRead(out _));
        await stalled.WaitAsync(Bound);

        // Still full after one read: the same episode, so a second stall is not a second report.
        stalled = h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 3)).AsTask();
        Assert.False(stalled.IsCompleted);
        Assert.True(sub.TryRead(out _));
        await stalled.WaitAsync(Bound);
        Assert.Single(SlowEvents(h));
        Assert.True(Status(h).Slow);

        Assert.Equal([2L, 3L], TickSeries.Sequences(TickSeries.Drain(sub)));
        Assert.Equal(new SubscriberStatus { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 2, Buffered = 0, Delivered = 4, Dropped = 0, Slow = false, SlowEpisodes = 1 }, Status(h));
        stalled = h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 4, 3)).AsTask();

        Assert.Single(SlowEvents(h));
        Assert.Equal((2L, true), (Status(h).SlowEpisodes, Status(h).Slow));
        TickSeries.Drain(sub);
        await stalled.WaitAsync(Bound);
    }

    // The report interval on a live stream (one RELIANCE tick a second, read at once), so the feed stays on it.
    private static async Task PassReportIntervalAsync(FeedHarness h, TickSubscription sub)
    {
        TickSeries.Drain(sub);
        for (var second = 0; second < TickHub.ReportInterval.TotalSeconds; second++)
        {
            h.Advance(TimeSpan.FromSeconds(1));
            await h.Stream.Current.EmitAsync(TickSeries.Stream(h.RelianceInstrument, h.Now, second));
            TickSeries.Drain(sub);
        }
    }

    private static SubscriberStatus Status(FeedHarness h) => Assert.Single(h.Feed.GetStreamStatus().Subscribers);

    private static List<SlowConsumerEvent> SlowEvents(FeedHarness h) => [.. h.Events.OfType<SlowConsumerEvent>()];
}
