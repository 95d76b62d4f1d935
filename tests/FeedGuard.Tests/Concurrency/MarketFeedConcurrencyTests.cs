using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Instruments;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Tests.Concurrency;

/// <summary>
/// Real threads on the tick path: producers, consumers and failovers at once. Time is still a fake
/// clock driven by the test thread, so the feed's decisions are repeatable; only the interleaving of
/// threads varies, and every assertion holds for any interleaving.
/// </summary>
public sealed class MarketFeedConcurrencyTests
{
    /// <summary>Generous: these runs take a few seconds; the bound only turns a hang into a failure.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Subscribe_WaitPolicyWithConcurrentReader_ReceivesOneMillionTicksInOrder()
    {
        const int total = 1_000_000;
        const int batchSize = 100;
        await using var h = new FeedHarness();
        await h.StartAsync();
        var recorder = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 4096 });
        var connection = h.Stream.Current;
        var sbin = h.SbinInstrument;
        var at = h.Now;

        var consumer = Task.Run(async () =>
        {
            long expected = 0;
            long lastTime = 0;
            await foreach (var tick in recorder)
            {
                if (tick.Sequence != expected || tick.ExchangeTimeUtcTicks <= lastTime || tick.LastPriceUnits != expected)
                {
                    return $"tick {expected}: got sequence {tick.Sequence}, exchange time {tick.ExchangeTimeUtcTicks} after {lastTime}";
                }

                lastTime = tick.ExchangeTimeUtcTicks;
                if (++expected == total)
                {
                    return null;
                }
            }

            return $"the subscription ended after {expected} ticks";
        });

        var producer = Task.Run(async () =>
        {
            // One reused array: the feed copies each tick into the buffer before EmitAsync completes.
            var batch = new Tick[batchSize];
            for (long n = 0; n < total;)
            {
                for (var i = 0; i < batchSize; i++, n++)
                {
                    batch[i] = new Tick(sbin, TickSource.Stream, n, 2, at) { ExchangeTime = new DateTimeOffset(at.UtcTicks + n + 1, TimeSpan.Zero), Sequence = n };
                }

                await connection.EmitAsync(batch);
            }
        });

        await producer.WaitAsync(Bound);
        var failure = await consumer.WaitAsync(Bound);

        Assert.Null(failure);
        Assert.Equal((total, 0L, 0), (recorder.Delivered, recorder.Dropped, recorder.Count));
        Assert.Equal(total, h.Feed.GetStreamStatus().Counters.Delivered);
    }

    [Fact]
    public async Task Failover_ProducersConsumersAndFailoversOverlap_TimeNeverGoesBackwardsAndCountsReconcile()
    {
        // Timer callbacks run on the thread that advances the clock, not on xUnit's context.
        SynchronizationContext.SetSynchronizationContext(null);
        const int cycles = 6;
        const int pausedCycle = 2;
        var logs = new FakeLogCollector();
        using var loggerFactory = new LoggerFactory([new FakeLoggerProvider(logs)]);
        var clock = new FakeTimeProvider(FeedHarness.MondayMorning);
        var stream = new ScriptedStreamingSource();
        var poll = new ScriptedPollingSource(_ => PollResult.Of([]));
        var options = new MarketFeedOptions { Name = "stress", Instruments = [FeedHarness.Sbin, FeedHarness.Reliance] };
        var feed = new MarketFeed(options, stream, poll, new MarketFeedServices { TimeProvider = clock, Randomizer = () => 0.5, LoggerFactory = loggerFactory });
        await using var feedLifetime = feed;
        var events = feed.SubscribeEvents(100_000);
        var polledTicks = 0L;
        poll.Respond(_ =>
        {
            var now = clock.GetUtcNow();
            var n = Interlocked.Add(ref polledTicks, 2);
            return PollResult.Of([TickBuilder.Poll(feed.Instruments[0], 500m + (n * 0.05m), now), TickBuilder.Poll(feed.Instruments[1], 900m + (n * 0.05m), now)]);
        });

        var consumers = new[]
        {
            new Consumer(feed.Subscribe(new SubscriptionOptions { Name = "latest", Policy = BufferPolicy.LatestPerInstrument })),
            new Consumer(feed.Subscribe(new SubscriptionOptions { Name = "drop-oldest", Policy = BufferPolicy.DropOldest, Capacity = 64 })),
            new Consumer(feed.Subscribe(new SubscriptionOptions { Name = "recorder-1", Policy = BufferPolicy.Wait, Capacity = 256 })),
            new Consumer(feed.Subscribe(new SubscriptionOptions { Name = "recorder-2", Policy = BufferPolicy.Wait, Capacity = 1024 })),
        };
        var lossy = consumers[..2];
        await feed.StartAsync();
        Assert.Equal(FeedState.Streaming, feed.State);

        using var stop = new CancellationTokenSource();
        var producers = new[] { new Producer(stream, clock, feed.Instruments[0]), new Producer(stream, clock, feed.Instruments[1]) };
        var consuming = consumers.Select(c => Task.Run(() => c.RunAsync())).ToArray();
        var producing = producers.Select(p => Task.Run(() => p.RunAsync(stop.Token))).ToArray();

        // Advances fake time one step, then lets every producer emit at least one whole batch stamped at the new time.
        void Step(TimeSpan by)
        {
            var before = producers.Select(p => p.Batches).ToArray();
            clock.Advance(by);
            Assert.True(SpinWait.SpinUntil(() => producers.Select((p, i) => p.Batches >= before[i] + 2).All(x => x), Bound), "a producer made no progress");
        }

        for (var cycle = 0; cycle < cycles; cycle++)
        {
            if (cycle == pausedCycle)
            {
                Array.ForEach(lossy, c => c.Pause());
            }

            var connectionsBefore = stream.Connections.Count;
            if (cycle % 3 == 1)
            {
                stream.Then(ConnectOutcome.Fail(DisconnectReason.NetworkError, "refused"));
            }

            stream.Current.Drop(cycle % 2 == 0 ? DisconnectReason.NetworkError : DisconnectReason.NoPong, "stress drop");

            // Poll, reconnect, probation, promotion: in 100 ms steps while the producers keep emitting.
            var steps = 0;
            while (!(feed.State == FeedState.Streaming && stream.Connections.Count > connectionsBefore))
            {
                Assert.True(++steps < 300, $"cycle {cycle}: the restored stream was not promoted within 30 s (state {feed.State})");
                Step(TimeSpan.FromMilliseconds(100));
            }

            if (cycle == pausedCycle)
            {
                Assert.True(SpinWait.SpinUntil(() => lossy.All(c => c.Subscription.Dropped > 0), Bound), "paused lossy subscribers never dropped");
                Array.ForEach(lossy, c => c.Resume());
            }

            // Stay up past the stability window, so every cycle starts a fresh reconnect round.
            for (var s = 0; s < 31; s++)
            {
                Step(TimeSpan.FromSeconds(1));
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(producing).WaitAsync(Bound);

        // A poll that queued behind a producer for the ingest lock finishes on its own; stop only after it did.
        Assert.True(SpinWait.SpinUntil(() => feed.GetStreamStatus().Counters.ReceivedPoll == Interlocked.Read(ref polledTicks), Bound), "polled ticks never reached the feed");
        await feed.StopAsync().WaitAsync(Bound);
        await Task.WhenAll(consuming).WaitAsync(Bound);

        var counters = feed.GetStreamStatus().Counters;
        Assert.All(consumers, c => Assert.Null(c.Violation));
        Assert.All(consumers, c => Assert.Equal((c.Subscription.Name, counters.Delivered, 0), (c.Subscription.Name, c.Read + c.Subscription.Dropped, c.Subscription.Count)));
        Assert.All(consumers, c => Assert.Equal(counters.Delivered, c.Subscription.Delivered));
        Assert.All(consumers[2..], c => Assert.Equal(0, c.Subscription.Dropped));
        Assert.Equal(consumers[2].Fingerprint, consumers[3].Fingerprint);
        Assert.Equal(counters.Received, counters.Delivered + counters.DuplicatesDropped + counters.StaleDropped + counters.ImplausibleDropped + counters.Rejected);
        Assert.Equal(producers.Sum(p => p.Emitted), counters.ReceivedStream);
        Assert.True(counters.ReceivedPoll >= 2 * cycles, $"only {counters.ReceivedPoll} polled ticks");
        Assert.True(counters.Rejected > 0, "no tick came from a dropped connection: the drops did not overlap the producers");
        Assert.Equal(cycles, stream.Connections.Count - 1);

        var slow = new List<string>();
        while (events.TryRead(out var e))
        {
            if (e is SlowConsumerEvent s)
            {
                slow.Add(s.Subscriber);
            }
        }

        Assert.Contains("latest", slow);
        Assert.Contains("drop-oldest", slow);
        var errors = logs.GetSnapshot().Where(r => r.Level >= LogLevel.Error).Select(r => $"{r.Message} {r.Exception}").ToList();
        Assert.Empty(errors);
    }

    /// <summary>Emits numbered batches of one instrument on whatever connection is newest, until stopped.</summary>
    private sealed class Producer(ScriptedStreamingSource stream, TimeProvider clock, Instrument instrument)
    {
        private const int BatchSize = 16;
        private long _batches;

        public long Batches => Interlocked.Read(ref _batches);

        public long Emitted => Batches * BatchSize;

        public async Task RunAsync(CancellationToken stop)
        {
            var batch = new Tick[BatchSize];
            long sequence = 0;
            while (!stop.IsCancellationRequested)
            {
                // Read before stamping: a batch may still reach a connection the test just dropped (counted as rejected).
                var connection = stream.Current;
                var now = clock.GetUtcNow();
                for (var i = 0; i < batch.Length; i++, sequence++)
                {
                    batch[i] = new Tick(instrument, TickSource.Stream, 10_000 + (sequence % 997), 2, now) { ExchangeTime = now, Sequence = sequence };
                }

                await connection.EmitAsync(batch);
                Interlocked.Increment(ref _batches);
            }
        }
    }

    /// <summary>Reads a subscription to its end, checking per-instrument time order; can be paused to fall behind.</summary>
    private sealed class Consumer(TickSubscription subscription)
    {
        private volatile TaskCompletionSource _resume = Resumed();
        private readonly long[] _lastExchangeTime = new long[2];

        public TickSubscription Subscription { get; } = subscription;

        public long Read { get; private set; }

        /// <summary>The first tick that moved its instrument's time backwards, or null.</summary>
        public string? Violation { get; private set; }

        /// <summary>A hash of everything read, in order: two lossless readers must agree.</summary>
        public long Fingerprint { get; private set; }

        public void Pause() => _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Resume() => _resume.TrySetResult();

        public async Task RunAsync()
        {
            while (true)
            {
                var resume = _resume.Task;
                if (!resume.IsCompleted)
                {
                    await resume;
                }

                if (Subscription.TryRead(out var tick))
                {
                    Check(tick);
                    continue;
                }

                if (!await Subscription.WaitToReadAsync())
                {
                    return;
                }
            }
        }

        private void Check(in Tick tick)
        {
            Read++;
            Fingerprint = unchecked((Fingerprint * 1_000_003) + tick.GetHashCode());
            var id = tick.Instrument.Id;
            if (tick.ExchangeTimeUtcTicks < _lastExchangeTime[id])
            {
                Violation ??= $"{Subscription.Name}: {tick.Instrument.Name} went from {_lastExchangeTime[id]} back to {tick.ExchangeTimeUtcTicks} ({tick.Source}, read #{Read})";
            }

            _lastExchangeTime[id] = Math.Max(_lastExchangeTime[id], tick.ExchangeTimeUtcTicks);
        }

        private static TaskCompletionSource Resumed()
        {
            var done = new TaskCompletionSource();
            done.SetResult();
            return done;
        }
    }
}
