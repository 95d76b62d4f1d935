using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.Sources;
using FeedGuard.Testing;

namespace FeedGuard.Tests.Health;

/// <summary>The three health layers as the supervisor applies them (DESIGN §4).</summary>
public sealed class MarketFeedHealthTests
{
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
}
