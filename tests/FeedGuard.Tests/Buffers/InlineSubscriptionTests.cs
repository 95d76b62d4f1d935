using System.Text.Json;
using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FeedGuard.Tests.Buffers;

/// <summary>
/// Inline subscribers: the handler runs on the ingest path, once per run of delivered ticks (the whole batch unless the gate drops a tick inside it), in order, and
/// nothing a handler does (throw, run long, unsubscribe) can stop the feed or lose another
/// subscriber's ticks.
/// </summary>
public sealed class InlineSubscriptionTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task SubscribeInline_Batches_HandlerGetsEachDeliveredBatchOnceInOrderBeforeTheEmitReturns()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var calls = new List<long[]>();
        var threads = new List<int>();
        using var inline = h.Feed.SubscribeInline(ticks =>
        {
            calls.Add([.. ticks.ToArray().Select(t => t.Sequence ?? -1)]);
            threads.Add(Environment.CurrentManagedThreadId);
        });

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 3));
        Assert.Single(calls);

        // A batch with a repeat of tick 2 and one new tick: the gate drops the repeat before the handler sees it.
        await h.Stream.Current.EmitAsync([TickSeries.Stream(h.SbinInstrument, h.Now, 2), TickSeries.Stream(h.SbinInstrument, h.Now, 3)]);
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 4, 2));

        Assert.Equal([[0L, 1L, 2L], [3L], [4L, 5L]], calls);
        Assert.Equal([Environment.CurrentManagedThreadId], threads.Distinct());
        Assert.Equal((6L, 0L, 0L, false), (inline.Delivered, inline.Errors, inline.SlowCalls, inline.IsSlow));
    }

    [Fact]
    public async Task SubscribeInline_LongBatch_HandedOverInOneCallWithNothingLost()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var sizes = new List<int>();
        var sequences = new List<long>();
        using var inline = h.Feed.SubscribeInline(ticks =>
        {
            sizes.Add(ticks.Length);
            sequences.AddRange(ticks.ToArray().Select(t => t.Sequence ?? -1));
        });

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 1_031));

        Assert.Equal([1_031], sizes);
        Assert.Equal(Enumerable.Range(0, 1_031).Select(n => (long)n), sequences);
    }

    [Fact]
    public async Task SubscribeInline_GateDropsATickInsideABatch_TheRunsEitherSideAreHandedOverInOrder()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var calls = new List<long[]>();
        using var inline = h.Feed.SubscribeInline(ticks => calls.Add(TickSeries.Sequences(ticks.ToArray())));

        // Tick 1 twice: the repeat is a duplicate, so the batch reaches the handler as two runs around it.
        var ticks = TickSeries.Stream(h.SbinInstrument, h.Now, 0, 4);
        await h.Stream.Current.EmitAsync([ticks[0], ticks[1], ticks[1], ticks[2], ticks[3]]);

        Assert.Equal([[0L, 1L], [2L, 3L]], calls);
        Assert.Equal(1L, h.Feed.GetStreamStatus().Counters.DuplicatesDropped);
        Assert.Equal(4L, inline.Delivered);
    }

    [Fact]
    public async Task SubscribeInline_HandlerThrows_FeedAndOtherSubscribersGoOnAndFailuresAreCountedAndLoggedWithoutFlooding()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = new LoggerFactory([new FakeLoggerProvider(logs)]);
        await using var h = new FeedHarness(loggerFactory: loggerFactory);
        await h.StartAsync();
        using var failing = h.Feed.SubscribeInline(_ => throw new InvalidOperationException("strategy bug"), new InlineSubscriptionOptions { Name = "buggy" });
        var healthy = new List<long>();
        using var other = h.Feed.SubscribeInline(ticks => healthy.AddRange(ticks.ToArray().Select(t => t.Sequence ?? -1)));
        var buffered = h.Feed.Subscribe(new SubscriptionOptions { Name = "buffered", Policy = BufferPolicy.Wait, Capacity = 100 });

        for (var n = 0; n < 5; n++)
        {
            await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, n));
        }

        Assert.Equal(5, failing.Errors);
        Assert.Equal([0L, 1L, 2L, 3L, 4L], healthy);
        Assert.Equal([0L, 1L, 2L, 3L, 4L], TickSeries.Sequences(TickSeries.Drain(buffered)));
        Assert.Single(FailureLogs(logs));
        // Each failing subscriber is logged on its own: a second one is not hidden behind the first.
        using var alsoFailing = h.Feed.SubscribeInline(_ => throw new InvalidOperationException("another bug"), new InlineSubscriptionOptions { Name = "buggy-2" });
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 5));
        Assert.Equal(["buggy", "buggy-2"], FailureLogs(logs).Select(r => r.Message.Contains("buggy-2", StringComparison.Ordinal) ? "buggy-2" : "buggy"));
        alsoFailing.Dispose();
        var logged = FailureLogs(logs)[0];
        Assert.IsType<InvalidOperationException>(logged.Exception);
        Assert.Contains("buggy", logged.Message, StringComparison.Ordinal);

        // One more log line per interval, carrying the count so far.
        h.Advance(TimeSpan.FromSeconds(11));
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 6));
        Assert.Equal(3, FailureLogs(logs).Count);
        Assert.Contains("7 failures", FailureLogs(logs)[^1].Message, StringComparison.Ordinal);

        var status = Assert.Single(h.Feed.GetStreamStatus().Subscribers, s => s.Name == "buggy");
        Assert.Equal((BufferPolicy.Inline, 7L, 7L), (status.Policy, status.HandlerErrors, status.Delivered));
    }

    [Fact]
    public async Task SubscribeInline_CallSlowerThanThreshold_OneSlowEpisodeUntilAFastCallReportedAtMostOnceAnInterval()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var slow = true;
        using var inline = h.Feed.SubscribeInline(
            _ =>
            {
                if (slow)
                {
                    // The handler's time is read from the feed's clock: advancing it inside the call is a slow call.
                    h.Clock.Advance(TimeSpan.FromMilliseconds(3));
                }
            },
            new InlineSubscriptionOptions { Name = "strategy", SlowCallThreshold = TimeSpan.FromMilliseconds(2) });

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0));
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 1));
        Assert.True(inline.IsSlow);
        var episode = Assert.Single(h.Events.OfType<SlowConsumerEvent>());
        Assert.Equal(("strategy", BufferPolicy.Inline), (episode.Subscriber, episode.Policy));

        slow = false;
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 2));
        Assert.False(inline.IsSlow);

        slow = true;
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 3));
        Assert.Equal((1, 2L, 3L, 4L), (h.Events.OfType<SlowConsumerEvent>().Count(), inline.SlowEpisodes, inline.SlowCalls, inline.Delivered));

        // The second episode was counted and held back; the next one after the interval reports both.
        slow = false;
        for (var second = 0; second < TickHub.ReportInterval.TotalSeconds; second++)
        {
            h.Advance(TimeSpan.FromSeconds(1));
            await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 4 + second));
        }

        slow = true;
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 14));
        Assert.Equal([1L, 2L], h.Events.OfType<SlowConsumerEvent>().Select(e => e.Episodes));
    }

    [Fact]
    public async Task SubscribeInline_TwoHandlers_EachTimedFromWhereTheOneBeforeItReturned()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var options = new InlineSubscriptionOptions { SlowCallThreshold = TimeSpan.FromMilliseconds(2) };
        using var slow = h.Feed.SubscribeInline(_ => h.Clock.Advance(TimeSpan.FromMilliseconds(3)), options with { Name = "slow" });
        using var quick = h.Feed.SubscribeInline(_ => { }, options with { Name = "quick" });

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0));

        // The second handler's clock starts when the first returned, so the first one's 3 ms are not charged to it.
        Assert.Equal((1L, 0L), (slow.SlowCalls, quick.SlowCalls));
        Assert.Equal("slow", Assert.Single(h.Events.OfType<SlowConsumerEvent>()).Subscriber);
    }

    [Fact]
    public async Task SubscribeInline_SourceReadTheFeedsClock_HandlerIsTimedFromThatReading()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        using var inline = h.Feed.SubscribeInline(_ => { }, new InlineSubscriptionOptions { Name = "strategy", SlowCallThreshold = TimeSpan.FromMilliseconds(2) });

        // The source stamped the message, then took 3 ms to hand it over: from the stamp, the call took 3 ms.
        var receivedAt = h.Clock.GetTimestamp();
        h.Clock.Advance(TimeSpan.FromMilliseconds(3));
        await h.Stream.Current.EmitAsync(receivedAt, TickSeries.Stream(h.SbinInstrument, h.Now, 0));

        Assert.Equal(1L, inline.SlowCalls);
    }

    [Theory]
    [InlineData(-3600)]
    [InlineData(3600)]
    public async Task SubscribeInline_SourceOnAnotherClock_ItsTimestampsAreNotUsed(int offsetSeconds)
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        using var inline = h.Feed.SubscribeInline(_ => { }, new InlineSubscriptionOptions { Name = "strategy", SlowCallThreshold = TimeSpan.FromMilliseconds(2) });

        // What a source built with another clock hands over: timestamps an hour off the feed's.
        long Stamp() => h.Clock.GetTimestamp() + (offsetSeconds * h.Clock.TimestampFrequency);
        await h.Stream.Current.EmitAsync(Stamp(), TickSeries.Stream(h.SbinInstrument, h.Now, 0));
        h.Advance(1);
        await h.Stream.Current.EmitAsync(Stamp(), TickSeries.Stream(h.SbinInstrument, h.Now, 1));
        h.Advance(1);

        // Taken at face value, an hour back would be an hour-long call and an hour without frames (the
        // stream condemned as silent); an hour ahead, a stream that could go silent for an hour unnoticed.
        Assert.Equal((0L, FeedState.Streaming), (inline.SlowCalls, h.Feed.State));
        h.Advance(h.Feed.Options.FrameTimeout.TotalSeconds + 1);
        Assert.Equal(DisconnectReason.NoData, h.ModeChanges[^1].Reason);
    }

    [Fact]
    public async Task SubscribeInline_IngestWaitsForAFullLosslessSubscriberFirst_TheWaitIsNotChargedToTheHandler()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var recorder = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 4 });
        var handled = 0;
        using var inline = h.Feed.SubscribeInline(ticks => handled += ticks.Length, new InlineSubscriptionOptions { Name = "strategy", SlowCallThreshold = TimeSpan.FromMilliseconds(2) });

        var emitting = h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 6)).AsTask();
        Assert.False(emitting.IsCompleted);
        Assert.Equal(0, handled);

        // The batch arrived, then the ingest path waited 10 ms for the recorder to drain: that is the recorder's delay, not the handler's.
        h.Clock.Advance(TimeSpan.FromMilliseconds(10));
        await TickSeries.ReadAsync(recorder, 6);
        await emitting.WaitAsync(Bound);
        Assert.Equal((6, 0L, false), (handled, inline.SlowCalls, inline.IsSlow));
    }

    [Fact]
    public async Task Dispose_FromInsideTheHandler_ReturnsAndTheHandlerIsNotCalledAgain()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var calls = 0;
        InlineSubscription? self = null;
        self = h.Feed.SubscribeInline(_ =>
        {
            calls++;
            self!.Dispose();
        });

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0));
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 1));

        Assert.Equal(1, calls);
        Assert.DoesNotContain(h.Feed.GetStreamStatus().Subscribers, s => s.Policy == BufferPolicy.Inline);
    }

    [Fact]
    public async Task Dispose_WhileTheHandlerRuns_ReturnsOnlyAfterTheCallEnds()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        using var entered = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var calls = 0;
        var inline = h.Feed.SubscribeInline(_ =>
        {
            Interlocked.Increment(ref calls);
            entered.Release();
            Assert.True(release.Wait(Bound));
        });

        var emitting = Task.Run(async () => await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0)));
        Assert.True(await entered.WaitAsync(Bound));
        var disposing = Task.Run(inline.Dispose);

        // Still inside the call: Dispose must not have returned.
        Assert.NotSame(disposing, await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromMilliseconds(50))));
        release.Set();
        await disposing.WaitAsync(Bound);
        await emitting.WaitAsync(Bound);

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 1));
        Assert.Equal(1, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task SubscribeInline_BadOptions_FailsNamingEveryKey()
    {
        await using var h = new FeedHarness();

        var error = Assert.Throws<ArgumentException>(() => h.Feed.SubscribeInline(_ => { }, new InlineSubscriptionOptions { Name = " ", SlowCallThreshold = TimeSpan.Zero }));
        Assert.Contains("Name must not be empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("SlowCallThreshold must be positive", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => h.Feed.SubscribeInline(null!));

        // A buffered subscription cannot ask for the inline policy: there is no handler to call.
        var buffered = Assert.Throws<ArgumentException>(() => h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Inline }));
        Assert.Contains("SubscribeInline", buffered.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Inline", new SubscriptionOptions { Policy = (BufferPolicy)42 }.Validate().Single().Split("allowed:")[1], StringComparison.Ordinal);
    }

    [Fact]
    public void BufferPolicy_Inline_SerializesAsInline()
    {
        Assert.Equal("\"inline\"", JsonSerializer.Serialize(BufferPolicy.Inline));
    }

    private static List<FakeLogRecord> FailureLogs(FakeLogCollector logs) =>
        [.. logs.GetSnapshot().Where(r => r.Id.Name == "InlineHandlerFailed")];
}
