using FeedGuard.Buffers;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Buffers;

/// <summary>The ingest path as subscribers and operators see it: what it costs and what it counts.</summary>
public sealed class TickIngestTests
{
    [Fact]
    public async Task EmitAsync_DropOldestAndConflatingSubscribersAfterWarmUp_AllocatesNothingPerTick()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var dropOldest = h.Feed.Subscribe(new SubscriptionOptions { Name = "drop", Policy = BufferPolicy.DropOldest, Capacity = 256 });
        var latest = h.Feed.Subscribe(new SubscriptionOptions { Name = "latest", Policy = BufferPolicy.LatestPerInstrument });
        var connection = h.Stream.Current;
        var at = h.Now;
        var batch = new Tick[32];
        var n = 0L;
        async Task EmitBatchesAsync(int count)
        {
            for (var b = 0; b < count; b++)
            {
                for (var i = 0; i < batch.Length; i++, n++)
                {
                    batch[i] = TickSeries.Stream(i % 2 == 0 ? h.SbinInstrument : h.RelianceInstrument, at, n);
                }

                await connection.EmitAsync(batch);

                // Same-thread reads between batches keep both enqueue paths busy (no waiting reader is ever registered).
                dropOldest.TryRead(out _);
                latest.TryRead(out _);
            }
        }

        await EmitBatchesAsync(1_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        await EmitBatchesAsync(5_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(6_000L * 32, h.Feed.GetStreamStatus().Counters.Delivered);
        Assert.True(dropOldest.Dropped > 0 && latest.Dropped > 0, "both buffers must have been full while measuring");
        Assert.True(allocated < 1024, $"delivering 160,000 ticks allocated {allocated} bytes");
    }

    [Fact]
    public async Task EmitAsync_DroppedConnectionKeepsEmitting_TicksCountAsReceivedAndRejected()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "gui" });
        var dead = h.Stream.Current;
        dead.Drop(DisconnectReason.NetworkError);
        Assert.Equal(FeedState.Polling, h.Feed.State);

        // A receive loop that has not noticed its socket died yet.
        await dead.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 5));

        var counters = h.Feed.GetStreamStatus().Counters;
        Assert.Equal((5L, 5L, 5L, 0L), (counters.Received, counters.ReceivedStream, counters.Rejected, counters.Delivered));
        Assert.Equal(counters.Received, counters.Delivered + counters.DuplicatesDropped + counters.StaleDropped + counters.ImplausibleDropped + counters.Rejected);
        Assert.Equal(0, sub.Delivered);
    }
}
