using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using FeedGuard.Tests.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace FeedGuard.Tests.Health;

/// <summary>The three health layers as the supervisor applies them (DESIGN §4).</summary>
public sealed class MarketFeedHealthTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DataSilence_SessionOpen_FailsOverAtThresholdAndNotBefore()
    {
        await using var h = new FeedHarness(o => o with { FrameTimeout = Timeout.InfiniteTimeSpan });
        await h.StartAsync();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 100m, h.Now));

        h.Advance(29.9);
        Assert.Equal(FeedState.Streaming, h.Feed.State);

        h.Advance(0.1);
        Assert.Equal(FeedState.Polling, h.Feed.State);
        var change = h.ModeChanges[^1];
        Assert.Equal(DisconnectReason.NoData, change.Reason);
        Assert.Contains("no tick for 30 s", change.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataSilence_SessionClosed_NoFailoverAndNoReconnect()
    {
        // Monday 16:00 IST: NSE closed. The broker keeps sending heartbeats, as real feeds do.
        var evening = new DateTimeOffset(2026, 11, 23, 16, 0, 0, SessionCalendar.IstOffset);
        await using var h = new FeedHarness(start: evening);
        await h.StartAsync();

        for (var i = 0; i < 600; i++)
        {
            h.Advance(1);
            h.Stream.Current.Heartbeat();
        }

        Assert.Equal([FeedState.Streaming], h.States);
        Assert.Equal(1, h.Stream.ConnectAttempts);
        Assert.All(h.Feed.GetStreamStatus().Instruments, i => Assert.False(i.Stale));
        Assert.DoesNotContain(h.Events, e => e is InstrumentStaleEvent or ReconnectAttemptEvent);
    }

    [Fact]
    public async Task DataSilence_SessionOpensLater_CountsFromSessionOpen()
    {
        // 09:10 IST: connected before the open; silence counts from 09:15, so failover at 09:15:30.
        var beforeOpen = new DateTimeOffset(2026, 11, 23, 9, 10, 0, SessionCalendar.IstOffset);
        await using var h = new FeedHarness(o => o with { FrameTimeout = Timeout.InfiniteTimeSpan }, start: beforeOpen);
        await h.StartAsync();

        h.Advance(TimeSpan.FromSeconds(329), TimeSpan.FromSeconds(1));
        Assert.Equal(FeedState.Streaming, h.Feed.State);

        h.Advance(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal(FeedState.Polling, h.Feed.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 9, 15, 30, SessionCalendar.IstOffset), h.Now);
    }

    [Fact]
    public async Task DataSilence_AlwaysOpenCalendar_FailsOverAtNight()
    {
        var night = new DateTimeOffset(2026, 11, 22, 2, 0, 0, SessionCalendar.IstOffset); // a Sunday
        await using var h = new FeedHarness(
            o => o with { FrameTimeout = Timeout.InfiniteTimeSpan, Sessions = new SessionCalendarOptions { AlwaysOpen = true } },
            start: night);
        await h.StartAsync();

        h.Advance(30);

        Assert.Equal([FeedState.Streaming, FeedState.Polling], h.States);
    }

    [Fact]
    public async Task DataSilence_HolidayConfigured_NoFailover()
    {
        var holiday = DateOnly.FromDateTime(FeedHarness.MondayMorning.DateTime);
        await using var h = new FeedHarness(o => o with
        {
            FrameTimeout = Timeout.InfiniteTimeSpan,
            Sessions = new SessionCalendarOptions { Holidays = [holiday] },
        });
        await h.StartAsync();

        h.Advance(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1));

        Assert.Equal([FeedState.Streaming], h.States);
    }

    [Fact]
    public async Task NoFrameAtAll_FailsOverAtFrameTimeout_EvenOutOfSession()
    {
        var evening = new DateTimeOffset(2026, 11, 23, 20, 0, 0, SessionCalendar.IstOffset);
        await using var h = new FeedHarness(o => o with { FrameTimeout = TimeSpan.FromSeconds(5) }, start: evening);
        await h.StartAsync();

        h.Advance(4.9);
        Assert.Equal(FeedState.Streaming, h.Feed.State);

        h.Advance(0.1);
        Assert.Equal(FeedState.Polling, h.Feed.State);
        Assert.Equal(DisconnectReason.NoData, h.ModeChanges[^1].Reason);
        Assert.Contains("no frame of any kind", h.ModeChanges[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeats_KeepConnectionAliveButNotData_InSession()
    {
        await using var h = new FeedHarness(o => o with { FrameTimeout = TimeSpan.FromSeconds(5) });
        await h.StartAsync();

        for (var i = 0; i < 29; i++)
        {
            h.Advance(1);
            h.Stream.Current.Heartbeat();
        }

        Assert.Equal(FeedState.Streaming, h.Feed.State);
        h.Advance(1);
        Assert.Equal(FeedState.Polling, h.Feed.State);
        Assert.Contains("no tick", h.ModeChanges[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedFrames_BelowRatio_AreCountedAndSkipped()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var price = 100m;
        for (var i = 0; i < 40; i++)
        {
            if (i % 4 == 0)
            {
                h.Stream.Current.Malformed();
            }
            else
            {
                price += 0.05m;
                await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, price, h.Now));
            }
        }

        h.Advance(1);

        Assert.Equal(FeedState.Streaming, h.Feed.State);
        var counters = h.Feed.GetStreamStatus().Counters;
        Assert.Equal(10, counters.Malformed);
        Assert.Equal(30, counters.Delivered);
    }

    [Fact]
    public async Task MalformedFrames_TooFewToJudge_WaitForMinimumFrames()
    {
        await using var h = new FeedHarness(o => o with { MalformedMinFrames = 20 });
        await h.StartAsync();
        for (var i = 0; i < 19; i++)
        {
            h.Stream.Current.Malformed();
        }

        h.Advance(1);
        Assert.Equal(FeedState.Streaming, h.Feed.State);

        h.Stream.Current.Malformed();
        h.Advance(1);
        Assert.Equal(FeedState.Polling, h.Feed.State);
        Assert.Equal(DisconnectReason.MalformedStream, h.ModeChanges[^1].Reason);
    }

    [Fact]
    public async Task InstrumentSilence_OneInstrumentQuiet_MarkedStaleAndGapReportedWhenItResumes()
    {
        await using var h = new FeedHarness(o => o with { HeartbeatThreshold = TimeSpan.FromSeconds(10) });
        await h.StartAsync();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.RelianceInstrument, 2500m, h.Now));
        var lastReliance = h.Now;

        await h.AdvanceStreamingAsync(TimeSpan.FromSeconds(12), TimeSpan.FromMilliseconds(500));

        var status = h.Feed.GetStreamStatus();
        Assert.True(status.Instruments.Single(i => i.Instrument == "NSE:2885").Stale);
        Assert.False(status.Instruments.Single(i => i.Instrument == "NSE:3045").Stale);
        Assert.Equal(FeedState.Streaming, h.Feed.State);
        var stale = Assert.Single(h.Events.OfType<InstrumentStaleEvent>());
        Assert.Equal(lastReliance, stale.LastTickAt);

        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.RelianceInstrument, 2501m, h.Now));

        Assert.False(h.Feed.GetStreamStatus().Instruments.Single(i => i.Instrument == "NSE:2885").Stale);
        var gap = Assert.Single(h.Events.OfType<GapEvent>());
        Assert.Same(h.RelianceInstrument, gap.Instrument);
        Assert.Equal(lastReliance, gap.From);
        Assert.Equal(h.Now, gap.To);
        Assert.Equal(GapCoverage.None, gap.CoveredBy);
    }

    [Fact]
    public async Task InstrumentSilence_ExchangeClosed_NeverStale()
    {
        // MCX is open at 20:00 IST, NSE is not: only the MCX instrument can be stale.
        var evening = new DateTimeOffset(2026, 11, 23, 20, 0, 0, SessionCalendar.IstOffset);
        await using var h = new FeedHarness(
            o => o with { Instruments = [FeedHarness.Sbin, InstrumentKey.Parse("MCX:234230")], FrameTimeout = Timeout.InfiniteTimeSpan },
            start: evening);
        await h.StartAsync();

        h.Advance(TimeSpan.FromSeconds(31), TimeSpan.FromSeconds(1));

        var instruments = h.Feed.GetStreamStatus().Instruments;
        Assert.False(instruments.Single(i => i.Instrument == "NSE:3045").Stale);
        Assert.False(instruments.Single(i => i.Instrument == "NSE:3045").SessionOpen);
        Assert.True(instruments.Single(i => i.Instrument == "MCX:234230").Stale);
        Assert.Equal(FeedState.Polling, h.Feed.State);
    }

    [Fact]
    public async Task InlineHandlerHangs_SlowWhileItHangs_AndItsSilenceIsNotHeldAgainstTheStream()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = new LoggerFactory([new FakeLoggerProvider(logs)]);
        await using var h = new FeedHarness(loggerFactory: loggerFactory);
        await h.StartAsync();
        using var entered = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var hang = 0;
        using var strategy = h.Feed.SubscribeInline(
            _ =>
            {
                if (Volatile.Read(ref hang) != 0)
                {
                    entered.Release();
                    Assert.True(release.Wait(Bound));
                }
            },
            new InlineSubscriptionOptions { Name = "strategy" });
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0));

        // The receive loop is stuck in the handler (a thread of its own here, as on a real socket).
        Volatile.Write(ref hang, 1);
        var emitting = Task.Run(async () => await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 1)));
        try
        {
            Assert.True(await entered.WaitAsync(Bound));

            // Reported at the next health check, while it still runs, not only once it returns.
            h.Advance(1);
            Assert.True(strategy.IsSlow);
            Assert.Equal(1, strategy.SlowCalls);
            Assert.Single(h.Events.OfType<SlowConsumerEvent>());

            // Far past the frame timeout (10 s) and the data heartbeat (30 s): nothing a reconnect or polling could
            // deliver would get past the handler, so the stream is not condemned for the silence, and the log says why.
            h.Advance(60);
            Assert.Equal(FeedState.Streaming, h.Feed.State);
            var held = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "IngestHeldBySubscriber");
            Assert.Contains("subscriber strategy (Inline)", held.Message, StringComparison.Ordinal);
        }
        finally
        {
            Volatile.Write(ref hang, 0);
            release.Set();
        }

        await emitting.WaitAsync(Bound);
        Assert.Equal(1, strategy.SlowCalls);

        AssertSilenceCountsFromTheEndOfTheWait(h);
    }

    [Fact]
    public async Task LosslessSubscriberStaysFull_TheStreamIsNotFailedWhileTheIngestWaitsForIt()
    {
        var logs = new FakeLogCollector();
        using var loggerFactory = new LoggerFactory([new FakeLoggerProvider(logs)]);
        await using var h = new FeedHarness(loggerFactory: loggerFactory);
        await h.StartAsync();
        var recorder = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 4 });

        var emitting = h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 0, 6)).AsTask();
        Assert.False(emitting.IsCompleted);

        // Reconnecting would throw away what the socket holds for the recorder; waiting for it loses nothing.
        h.Advance(60);
        Assert.Equal(FeedState.Streaming, h.Feed.State);
        var held = Assert.Single(logs.GetSnapshot(), r => r.Id.Name == "IngestHeldBySubscriber");
        Assert.Contains("subscriber recorder (Wait)", held.Message, StringComparison.Ordinal);

        await TickSeries.ReadAsync(recorder, 6);
        await emitting.WaitAsync(Bound);
        AssertSilenceCountsFromTheEndOfTheWait(h);
    }

    [Fact]
    public async Task RestoredStreamSendsNothingWhilePolledTicksWaitForASubscriber_ItIsStillFailedForItsSilence()
    {
        // Only a wait that began before the stream's last frame excuses its silence: a connection that never sent
        // a frame is not waiting behind the polled batch, it is silent of its own accord.
        await using var h = new FeedHarness();
        await h.StartAsync();
        var recorder = h.Feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 4 });
        h.Poll!.Respond(_ => PollResult.Of(
            [.. Enumerable.Range(0, 6).Select(i => TickBuilder.Make(i % 2 == 0 ? h.SbinInstrument : h.RelianceInstrument, TickSource.Poll, 100m + i, h.Now, h.Now.AddMilliseconds(i)))]));
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        Assert.Equal(FeedState.Polling, h.Feed.State);
        Assert.Equal(4, recorder.Count);

        h.Advance(1);
        Assert.Equal(2, h.Stream.ConnectAttempts);
        h.Advance(10.5);
        Assert.Contains("no frame of any kind", h.Feed.GetStreamStatus().LastError?.Message, StringComparison.Ordinal);
        Assert.Equal(4, recorder.Count);
    }

    // From the end of a wait for a subscriber the stream has its whole frame timeout (10 s) again, and no more.
    private static void AssertSilenceCountsFromTheEndOfTheWait(FeedHarness h)
    {
        h.Advance(9);
        Assert.Equal(FeedState.Streaming, h.Feed.State);
        h.Advance(1.5);
        Assert.Equal(FeedState.Polling, h.Feed.State);
        Assert.Contains("no frame of any kind", h.ModeChanges[^1].Message, StringComparison.Ordinal);
    }
}
