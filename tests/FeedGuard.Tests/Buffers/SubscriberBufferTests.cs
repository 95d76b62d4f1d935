using FeedGuard.Buffers;
using FeedGuard.Ticks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FeedGuard.Tests.Buffers;

/// <summary>
/// The subscriber buffers' own contract through the public API: batch reads, the lossless writer's
/// low-water mark, the reusable reader wake-up, and drop-oldest against a model and under real threads.
/// </summary>
public sealed class SubscriberBufferTests
{
    /// <summary>Generous: only turns a hang into a failure.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(BufferPolicy.DropOldest)]
    [InlineData(BufferPolicy.Wait)]
    public async Task TryReadBatch_MoreWaitingThanFit_ReturnsTheOldestInOrderAndLeavesTheRest(BufferPolicy policy)
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "batch", Policy = policy, Capacity = 100 });
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 5));
        var batch = new Tick[3];

        Assert.Equal(3, sub.TryReadBatch(batch));
        Assert.Equal([0L, 1L, 2L], TickSeries.Sequences(batch));
        Assert.Equal(2, sub.Count);
        Assert.Equal(2, sub.TryReadBatch(batch));
        Assert.Equal([3L, 4L], TickSeries.Sequences(batch[..2]));
        Assert.Equal(0, sub.TryReadBatch(batch));
        Assert.Equal(0, sub.TryReadBatch([]));
    }

    [Fact]
    public async Task TryReadBatch_LatestPerInstrument_ReturnsTheNewestOfEachInFirstPendingOrder()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var quotes = h.Feed.Subscribe(new SubscriptionOptions { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument });
        await h.Stream.Current.EmitAsync(
            TickSeries.Stream(h.RelianceInstrument, h.Now, 0),
            TickSeries.Stream(h.SbinInstrument, h.Now, 1),
            TickSeries.Stream(h.RelianceInstrument, h.Now, 2));
        var batch = new Tick[8];

        Assert.Equal(2, quotes.TryReadBatch(batch));
        Assert.Equal([(h.RelianceInstrument, 2L), (h.SbinInstrument, 1L)], batch[..2].Select(t => (t.Instrument, t.Sequence ?? -1)));
        Assert.Equal((0, 1L), (quotes.Count, quotes.Dropped));
    }

    [Fact]
    public async Task Emit_LosslessBufferFull_WriterResumesOnlyOnceDrainedToHalfAndLosesNothing()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var recorder = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 4 });

        var emitting = h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 10)).AsTask();
        Assert.False(emitting.IsCompleted);
        Assert.Equal((4, 4L), (recorder.Count, recorder.Delivered));
        Assert.True(recorder.IsSlow);

        // Above the low-water mark (half of 4): the writer stays parked, not woken per freed slot.
        Assert.True(recorder.TryRead(out var first));
        Assert.Equal(4L, recorder.Delivered);

        // At the mark: it wakes and writes until full again.
        Assert.True(recorder.TryRead(out var second));
        Assert.True(SpinWait.SpinUntil(() => recorder.Delivered == 6, Bound), $"the writer did not resume: delivered {recorder.Delivered}");

        var rest = new List<Tick> { first, second };
        var batch = new Tick[2];
        while (rest.Count < 10)
        {
            var read = recorder.TryReadBatch(batch);
            rest.AddRange(batch[..read]);
            if (read == 0)
            {
                Assert.True(await recorder.WaitToReadAsync().AsTask().WaitAsync(Bound));
            }
        }

        await emitting.WaitAsync(Bound);
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L], TickSeries.Sequences(rest));
        Assert.Equal((10L, 0L, 0), (recorder.Delivered, recorder.Dropped, recorder.Count));
    }

    [Fact]
    public async Task Emit_TwoLosslessSubscribersFillMidRunAroundAGateDrop_EachGetsEveryDeliveredTickOnceInOrder()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();

        // Capacities smaller than a run and not dividing the ring, so runs are split by a full buffer, resume
        // part-way, and wrap around the ring; a latest-value subscriber in between takes each run whole.
        var first = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder-1", Policy = BufferPolicy.Wait, Capacity = 5 });
        var quotes = h.Feed.Subscribe(new SubscriptionOptions { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument });
        var second = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder-2", Policy = BufferPolicy.Wait, Capacity = 3 });
        var expected = new List<long>();
        var batches = new List<Tick[]>();
        for (var b = 0; b < 40; b++)
        {
            // Twelve new ticks with a repeat of the sixth after it: delivered as two runs of six.
            var ticks = TickSeries.Stream(h.SbinInstrument, h.Now, b * 12, 12);
            batches.Add([.. ticks[..6], ticks[5], .. ticks[6..]]);
            expected.AddRange(TickSeries.Sequences(ticks));
        }

        var readers = new[] { first, second }.Select(sub => Task.Run(async () =>
        {
            var got = new List<Tick>();
            var batch = new Tick[4];
            while (got.Count < expected.Count && await sub.WaitToReadAsync())
            {
                int n;
                while ((n = sub.TryReadBatch(batch)) > 0)
                {
                    got.AddRange(batch[..n]);
                }
            }

            return TickSeries.Sequences(got);
        })).ToArray();

        foreach (var batch in batches)
        {
            await h.Stream.Current.EmitAsync(batch).AsTask().WaitAsync(Bound);
        }

        var results = await Task.WhenAll(readers).WaitAsync(Bound);
        Assert.Equal(expected, results[0]);
        Assert.Equal(expected, results[1]);
        Assert.Equal((480L, 40L), (h.Feed.GetStreamStatus().Counters.Delivered, h.Feed.GetStreamStatus().Counters.DuplicatesDropped));
        Assert.Equal((480L, 0L, 480L, 0L), (first.Delivered, first.Dropped, second.Delivered, second.Dropped));
        Assert.Equal(480L, quotes.Delivered);
    }

    [Theory]
    [InlineData(BufferPolicy.DropOldest)]
    [InlineData(BufferPolicy.Wait)]
    [InlineData(BufferPolicy.LatestPerInstrument)]
    public async Task WaitToReadAsync_CancelledThenWaitedAgain_TheSameSubscriptionWakesForTheNextTick(BufferPolicy policy)
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "waiter", Policy = policy, Capacity = 10 });
        for (var round = 0; round < 3; round++)
        {
            using (var cancel = new CancellationTokenSource())
            {
                var cancelled = sub.WaitToReadAsync(cancel.Token).AsTask();
                await cancel.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Bound));
            }

            using var live = new CancellationTokenSource();
            var waiting = sub.WaitToReadAsync(live.Token).AsTask();
            await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, round));
            Assert.True(await waiting.WaitAsync(Bound));
            Assert.True(sub.TryRead(out var tick));
            Assert.Equal(round, tick.Sequence);
        }
    }

    [Fact]
    public async Task GetNextTickAsync_TwoCallersWaitingAtOnce_EachGetsOneOfTheNextTwoTicks()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var first = h.Feed.GetNextTickAsync().AsTask();
        var second = h.Feed.GetNextTickAsync().AsTask();
        Assert.False(first.IsCompleted || second.IsCompleted);

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 2));

        var got = await Task.WhenAll(first, second).WaitAsync(Bound);
        Assert.Equal([0L, 1L], TickSeries.Sequences(got).Order());
    }

    [Fact]
    public async Task WaitToReadAsync_EarlierWaitNeverAwaited_ANewWaitStillWakesAndIsNotCancelledByTheOldToken()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "forgetful", Capacity = 10 });
        using var old = new CancellationTokenSource();
        _ = sub.WaitToReadAsync(old.Token);

        using var current = new CancellationTokenSource();
        var waiting = sub.WaitToReadAsync(current.Token).AsTask();
        await old.CancelAsync();
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0));

        Assert.True(await waiting.WaitAsync(Bound));
        Assert.True(sub.TryRead(out var tick));
        Assert.Equal(0L, tick.Sequence);
    }

    /// <summary>
    /// Any interleaving of batches written and batches read, single-threaded, gives exactly what a
    /// bounded queue that drops its oldest gives: same ticks, same order, same drop count.
    /// </summary>
    [Property(MaxTest = 60)]
    public Property DropOldest_AnyWritesAndReads_MatchesABoundedQueueThatDropsItsOldest() =>
        Prop.ForAll(
            Gen.Choose(1, 9).ToArbitrary(),
            Gen.ListOf(Gen.Zip(Gen.Choose(0, 12), Gen.Choose(0, 12))).ToArbitrary(),
            (capacity, steps) => MatchesModel(capacity, [.. steps]).GetAwaiter().GetResult());

    [Fact]
    public async Task DropOldest_WriterAndBatchReaderOnTwoThreads_ReadsRiseAndReadPlusDroppedIsWritten()
    {
        const int total = 300_000;
        const int batchSize = 50;
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "lossy", Policy = BufferPolicy.DropOldest, Capacity = 64 });

        var consumer = Task.Run(async () =>
        {
            var batch = new Tick[17];
            long read = 0;
            long last = -1;
            while (await sub.WaitToReadAsync())
            {
                int n;
                while ((n = sub.TryReadBatch(batch)) > 0)
                {
                    foreach (var tick in batch.AsSpan(0, n))
                    {
                        if (tick.Sequence <= last || tick.LastPriceUnits != tick.Sequence)
                        {
                            return (read, last, $"got {tick.Sequence} (price {tick.LastPriceUnits}) after {last}");
                        }

                        last = tick.Sequence!.Value;
                        read++;
                    }
                }
            }

            return (read, last, (string?)null);
        });

        await EmitNumberedAsync(h, total, batchSize);
        await sub.DisposeAsync();
        var (readCount, lastRead, failure) = await consumer.WaitAsync(Bound);

        Assert.Null(failure);
        Assert.Equal(total - 1, lastRead);
        Assert.Equal(total, readCount + sub.Dropped);
        Assert.Equal(total, sub.Delivered);
    }

    [Fact]
    public async Task Lossless_WriterAndBatchReaderOnTwoThreads_EveryTickIsReadOnceInOrder()
    {
        // A buffer much smaller than the stream, so the writer counts room from a head it read long ago,
        // reads it again, fills up and parks many times over while the reader drains on another thread.
        const int total = 300_000;
        const int batchSize = 50;
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 64 });

        var consumer = Task.Run(async () =>
        {
            var batch = new Tick[17];
            long read = 0;
            while (read < total && await sub.WaitToReadAsync())
            {
                int n;
                while ((n = sub.TryReadBatch(batch)) > 0)
                {
                    foreach (var tick in batch.AsSpan(0, n))
                    {
                        if (tick.Sequence != read || tick.LastPriceUnits != read)
                        {
                            return (read, $"got {tick.Sequence} (price {tick.LastPriceUnits}) where {read} was due");
                        }

                        read++;
                    }
                }
            }

            return (read, (string?)null);
        });

        await EmitNumberedAsync(h, total, batchSize).WaitAsync(Bound);
        var (readCount, failure) = await consumer.WaitAsync(Bound);

        Assert.Null(failure);
        Assert.Equal(total, readCount);
        Assert.Equal((total, 0L, 0), (sub.Delivered, sub.Dropped, sub.Count));
    }

    /// <summary>Emits ticks 0 … <paramref name="total"/> − 1 of one instrument from the stream, each priced at its sequence number.</summary>
    private static async Task EmitNumberedAsync(FeedHarness h, int total, int batchSize)
    {
        var at = h.Now;
        var batch = new Tick[batchSize];
        for (long n = 0; n < total;)
        {
            for (var i = 0; i < batchSize; i++, n++)
            {
                batch[i] = new Tick(h.SbinInstrument, TickSource.Stream, n, 2, at) { ExchangeTime = new DateTimeOffset(at.UtcTicks + n + 1, TimeSpan.Zero), Sequence = n };
            }

            await h.Stream.Current.EmitAsync(batch);
        }
    }

    private static async Task<bool> MatchesModel(int capacity, (int Write, int Read)[] steps)
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sub = h.Feed.Subscribe(new SubscriptionOptions { Name = "model", Policy = BufferPolicy.DropOldest, Capacity = capacity });
        var model = new Queue<long>();
        long modelDropped = 0;
        long next = 0;
        var got = new List<long>();
        var expected = new List<long>();
        var batch = new Tick[12];
        foreach (var (write, read) in steps)
        {
            if (write > 0)
            {
                await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, next, write));
                for (var i = 0; i < write; i++, next++)
                {
                    if (model.Count == capacity)
                    {
                        model.Dequeue();
                        modelDropped++;
                    }

                    model.Enqueue(next);
                }
            }

            var n = sub.TryReadBatch(batch.AsSpan(0, read));
            got.AddRange(TickSeries.Sequences(batch[..n]));
            for (var i = 0; i < read && model.Count > 0; i++)
            {
                expected.Add(model.Dequeue());
            }
        }

        return got.SequenceEqual(expected) && sub.Dropped == modelDropped && sub.Count == model.Count;
    }
}
