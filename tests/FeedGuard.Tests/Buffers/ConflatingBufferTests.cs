using System.Diagnostics;
using FeedGuard.Buffers;
using FeedGuard.Instruments;
using FeedGuard.Ticks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FeedGuard.Tests.Buffers;

/// <summary>The latest-per-instrument policy as a quote consumer sees it through the feed, against a model and under real threads.</summary>
public sealed class ConflatingBufferTests
{
    /// <summary>Generous: only turns a hang into a failure.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    [Fact]
    public async Task TryRead_SeveralTicksPerInstrumentUnread_ReturnsOnlyTheNewestOfEach()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var quotes = h.Feed.Subscribe(new SubscriptionOptions { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument });

        await h.Stream.Current.EmitAsync(
            TickSeries.Stream(h.SbinInstrument, h.Now, 0),
            TickSeries.Stream(h.RelianceInstrument, h.Now, 1),
            TickSeries.Stream(h.SbinInstrument, h.Now, 2),
            TickSeries.Stream(h.SbinInstrument, h.Now, 3));
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.RelianceInstrument, h.Now, 4));

        var read = TickSeries.Drain(quotes);
        Assert.Equal([(h.SbinInstrument.Name, 3L, 100.03m), (h.RelianceInstrument.Name, 4L, 100.04m)], read.Select(t => (t.Instrument.Name, t.Sequence ?? -1, t.LastPrice)));
        Assert.Equal((5L, 3L, 0), (quotes.Delivered, quotes.Dropped, quotes.Count));
    }

    [Fact]
    public async Task TryRead_InstrumentUpdatedWhilePending_KeepsItsPlaceInTheQueue()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var quotes = h.Feed.Subscribe(new SubscriptionOptions { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument });

        // Reliance becomes pending first; its later update must not move it behind SBIN.
        await h.Stream.Current.EmitAsync(
            TickSeries.Stream(h.RelianceInstrument, h.Now, 0),
            TickSeries.Stream(h.SbinInstrument, h.Now, 1),
            TickSeries.Stream(h.RelianceInstrument, h.Now, 2));

        Assert.True(quotes.TryRead(out var first));
        Assert.Equal((h.RelianceInstrument, 2L), (first.Instrument, first.Sequence ?? -1));

        // Read, then updated again: it is pending anew, now behind SBIN.
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.RelianceInstrument, h.Now, 3));
        Assert.Equal([1L, 3L], TickSeries.Sequences(TickSeries.Drain(quotes)));
        Assert.Equal(1, quotes.Dropped);
    }

    [Fact]
    public async Task ReadAsync_ReaderWaiting_GetsTheTickAndNothingIsDropped()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var quotes = h.Feed.Subscribe(new SubscriptionOptions { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument });
        var pending = quotes.ReadAsync().AsTask();
        Assert.False(pending.IsCompleted);

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 7));

        var tick = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((TickSource.Stream, 7L), (tick.Source, tick.Sequence ?? -1));
        Assert.Equal((0L, 0, false), (quotes.Dropped, quotes.Count, quotes.IsSlow));
    }

    /// <summary>
    /// Any interleaving of writes to two instruments and batch reads, single-threaded, gives exactly
    /// what a model gives: an ordered list of pending instruments, each holding its newest tick,
    /// where a write to a pending instrument replaces its tick in place and counts one drop.
    /// </summary>
    [Property(MaxTest = 60)]
    public Property AnyWritesAndReads_MatchTheLatestPerInstrumentModel() =>
        Prop.ForAll(
            Gen.ListOf(Gen.Zip(Gen.ListOf(Gen.Choose(0, 1)), Gen.Choose(0, 3))).ToArbitrary(),
            steps => MatchesModel([.. steps.Select(s => (s.Item1.ToArray(), s.Item2))]).GetAwaiter().GetResult());

    [Fact]
    public async Task WriterAndBatchReaderOnTwoThreads_EveryTickIsReadOnceOrDropped_AndTheNewestIsNeverLost()
    {
        // The writer goes on until the reader has taken many ticks while it wrote (not only after it was done),
        // so slots are rewritten while the reader copies them: a copy that was not checked again shows as a
        // torn tick, a pending mark lost to the race as an instrument that is never read again.
        const int batchSize = 50;
        const long minimumRead = 50_000;
        const long minimumWritten = 300_000;
        const long maximumWritten = 150_000_000;
        await using var h = new FeedHarness();
        await h.StartAsync();
        var quotes = h.Feed.Subscribe(new SubscriptionOptions { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument });
        var connection = h.Stream.Current;
        Instrument[] instruments = [h.SbinInstrument, h.RelianceInstrument];
        var at = h.Now;
        long readSoFar = 0;
        var writerDone = false;

        // Reader and writer each on a thread of their own, never parking: the test is about the races between
        // a copy and a rewrite, and a thread-pool wake-up can be late by seconds while the tests running beside
        // this one keep the pool busy (then the writer gives up before the reader has read enough).
        var consumer = Task.Factory.StartNew(
            () =>
            {
                var batch = new Tick[3];
                var last = new long[] { -1, -1 };
                var idle = default(SpinWait);
                while (true)
                {
                    // Read before the batch: an empty read after the writer finished means everything was read.
                    var finished = Volatile.Read(ref writerDone);
                    var n = quotes.TryReadBatch(batch);
                    if (n == 0)
                    {
                        if (finished)
                        {
                            return (last, (string?)null);
                        }

                        idle.SpinOnce(sleep1Threshold: -1);
                        continue;
                    }

                    foreach (var tick in batch.AsSpan(0, n))
                    {
                        // Whole (every field written with the same number) and newer than the last of its instrument.
                        var i = tick.Instrument == instruments[0] ? 0 : 1;
                        var seq = tick.Sequence ?? -1;
                        if (seq <= last[i] || !TickSeries.IsWhole(tick, at))
                        {
                            return (last, $"{tick} after {last[i]}");
                        }

                        last[i] = seq;
                        Interlocked.Increment(ref readSoFar);
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        // Tick n goes to instrument n % 2, numbered n so each instrument's numbers rise.
        var writer = Task.Factory.StartNew(
            () =>
            {
                var ticks = new Tick[batchSize];
                long written = 0;
                long readAtCheckpoint = 0;
                try
                {
                    while (written < minimumWritten || (Volatile.Read(ref readSoFar) < minimumRead && written < maximumWritten && !consumer.IsCompleted))
                    {
                        for (var i = 0; i < batchSize; i++, written++)
                        {
                            ticks[i] = TickSeries.Whole(instruments[written % 2], at, written);
                        }

                        connection.EmitAsync(ticks).AsTask().GetAwaiter().GetResult();

                        // A reader that took nothing over the last 16 batches is let through: two slots rewritten
                        // every few tens of nanoseconds can lose nearly every copy of a slowed reader to the race on a
                        // loaded machine, and while the writer waits there are at most two ticks to take, so these
                        // checks must come often enough to reach the minimum (50,000 within 40 M writes). Only
                        // then, so elsewhere copies keep racing rewrites. Bounded.
                        if (written % (16 * batchSize) == 0)
                        {
                            var waited = Stopwatch.StartNew();
                            var spin = default(SpinWait);
                            while (Volatile.Read(ref readSoFar) == readAtCheckpoint && !consumer.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(1))
                            {
                                spin.SpinOnce(sleep1Threshold: -1);
                            }

                            readAtCheckpoint = Volatile.Read(ref readSoFar);
                        }
                    }
                }
                finally
                {
                    // Also when an emit throws: the reader must not spin on for the rest of the test run.
                    Volatile.Write(ref writerDone, true);
                }

                return written;
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        var written = await writer.WaitAsync(Bound);
        var (lastRead, failure) = await consumer.WaitAsync(Bound);
        await quotes.DisposeAsync();

        Assert.Null(failure);
        Assert.True(readSoFar >= minimumRead, $"read {readSoFar:N0} of {written:N0} ticks before the writer gave up");
        Assert.Equal([written - 2, written - 1], lastRead);
        Assert.Equal(written, readSoFar + quotes.Dropped);
        Assert.Equal(written, quotes.Delivered);
    }

    private static async Task<bool> MatchesModel((int[] Writes, int Read)[] steps)
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var quotes = h.Feed.Subscribe(new SubscriptionOptions { Name = "model", Policy = BufferPolicy.LatestPerInstrument });
        Instrument[] instruments = [h.SbinInstrument, h.RelianceInstrument];
        var pending = new List<(Instrument Instrument, long Seq)>();
        long modelDropped = 0;
        var modelSlow = false;
        long next = 0;
        var got = new List<(Instrument, long)>();
        var expected = new List<(Instrument, long)>();
        var batch = new Tick[3];
        foreach (var (writes, read) in steps)
        {
            if (writes.Length > 0)
            {
                var ticks = new Tick[writes.Length];
                for (var i = 0; i < writes.Length; i++, next++)
                {
                    var instrument = instruments[writes[i]];
                    ticks[i] = TickSeries.Stream(instrument, h.Now, next);
                    var at = pending.FindIndex(p => p.Instrument == instrument);
                    if (at >= 0)
                    {
                        pending[at] = (instrument, next);
                        modelDropped++;
                        modelSlow = true;
                    }
                    else
                    {
                        pending.Add((instrument, next));
                    }
                }

                await h.Stream.Current.EmitAsync(ticks);
            }

            var n = quotes.TryReadBatch(batch.AsSpan(0, read));
            got.AddRange(batch[..n].Select(t => (t.Instrument, t.Sequence ?? -1)));
            var take = Math.Min(read, pending.Count);
            expected.AddRange(pending.Take(take));
            pending.RemoveRange(0, take);

            // A slow episode ends when a read leaves the buffer empty.
            modelSlow &= read == 0 || pending.Count > 0;
        }

        return got.SequenceEqual(expected) && quotes.Dropped == modelDropped && quotes.Count == pending.Count && quotes.IsSlow == modelSlow;
    }
}
