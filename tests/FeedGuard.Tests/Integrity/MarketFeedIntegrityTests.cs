using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Integrity;

/// <summary>What a consumer sees across failovers: each update once, time never backwards (DESIGN §6).</summary>
public sealed class MarketFeedIntegrityTests
{
    [Fact]
    public async Task Overlap_SameTickFromStreamAndPoll_DeliveredOnce()
    {
        await using var h = new FeedHarness();
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();
        var tradeAt = h.Now.AddMilliseconds(300);
        h.Poll!.Respond(_ => PollResult.Of([TickBuilder.Poll(h.SbinInstrument, 100.05m, tradeAt)]));
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(1); // polled once at the drop; reconnected at 1 s

        // The restored stream sends the same trade with its millisecond stamp.
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 100.05m, tradeAt));

        var delivered = reader.DrainAvailable();
        Assert.Single(delivered);
        Assert.Equal(TickSource.Poll, delivered[0].Source);
        Assert.True(h.Feed.GetStreamStatus().Counters.DuplicatesDropped >= 1);
    }

    [Fact]
    public async Task OlderTickAfterNewer_Dropped_AndCounted()
    {
        await using var h = new FeedHarness();
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();
        var t = h.Now;

        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 100m, t.AddSeconds(2), sequence: 2));
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 99m, t.AddSeconds(1), sequence: 1));

        Assert.Equal([100m], reader.DrainAvailable().Select(x => x.LastPrice));
        var status = h.Feed.GetStreamStatus();
        Assert.Equal(1, status.Counters.StaleDropped);
        Assert.Equal(1, status.Instruments.Single(i => i.Instrument == "NSE:3045").StaleDropped);
    }

    [Fact]
    public async Task RepeatedIdenticalTick_DeliveredOnce_AndCounted()
    {
        await using var h = new FeedHarness();
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();
        var tick = TickBuilder.Stream(h.SbinInstrument, 100m, h.Now, sequence: 7);

        await h.Stream.Current.EmitAsync(tick, tick, tick);

        Assert.Single(reader.DrainAvailable());
        Assert.Equal(2, h.Feed.GetStreamStatus().Counters.DuplicatesDropped);
    }

    [Fact]
    public async Task FullFailoverCycle_ConsumerSeesEveryUpdateOnceAndTimeNeverGoesBack()
    {
        await using var h = new FeedHarness();
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait, Capacity = 100_000 });
        await h.StartAsync();

        // One market: a trade every 250 ms; each tier sees it in its own way.
        var market = new List<(DateTimeOffset At, decimal Price)>();
        var price = 100m;
        void Trade()
        {
            price += 0.05m;
            market.Add((h.Now, price));
        }

        h.Poll!.Respond(_ => market.Count == 0 ? PollResult.Of([]) : PollResult.Of([TickBuilder.Poll(h.SbinInstrument, market[^1].Price, market[^1].At)]));

        async Task RunAsync(TimeSpan span, bool streamUp)
        {
            for (var left = span; left > TimeSpan.Zero; left -= TimeSpan.FromMilliseconds(250))
            {
                h.Advance(0.25);
                Trade();
                if (streamUp)
                {
                    await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, market[^1].Price, market[^1].At));
                }
            }
        }

        await RunAsync(TimeSpan.FromSeconds(5), streamUp: true);
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Stream.Then(ConnectOutcome.Fail(DisconnectReason.NetworkError), ConnectOutcome.Fail(DisconnectReason.NetworkError));
        await RunAsync(TimeSpan.FromSeconds(7), streamUp: false); // attempts at 1 s and 3 s fail, 7 s succeeds
        await RunAsync(TimeSpan.FromSeconds(10), streamUp: true);

        Assert.Equal([FeedState.Streaming, FeedState.Polling, FeedState.Streaming], h.States);
        var delivered = reader.DrainAvailable();
        for (var i = 1; i < delivered.Count; i++)
        {
            Assert.True(delivered[i].ExchangeTime >= delivered[i - 1].ExchangeTime, $"time went backwards at {i}: {delivered[i - 1]} then {delivered[i]}");
            Assert.NotEqual(delivered[i].LastPrice, delivered[i - 1].LastPrice);
        }

        Assert.Contains(delivered, t => t.Source == TickSource.Poll);
        Assert.Equal(TickSource.Stream, delivered[^1].Source);
        var counters = h.Feed.GetStreamStatus().Counters;
        Assert.Equal(counters.Received, counters.Delivered + counters.DuplicatesDropped + counters.StaleDropped + counters.ImplausibleDropped + counters.Rejected);
        Assert.Equal(delivered.Count, counters.Delivered);

        var gap = Assert.Single(h.Events.OfType<GapEvent>(), g => g.Instrument is null);
        Assert.Equal(GapCoverage.Poll, gap.CoveredBy);
        Assert.True(gap.To - gap.From >= TimeSpan.FromSeconds(12));
        Assert.Single(h.Events.OfType<RecoveredEvent>());
    }

    [Fact]
    public async Task LatePollAfterPromotion_IsRejected()
    {
        await using var h = new FeedHarness(o => o with { PromoteWindow = TimeSpan.FromSeconds(1) });
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(1);
        await h.AdvanceStreamingAsync(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250));
        Assert.Equal(FeedState.Streaming, h.Feed.State);
        var pollsAfterPromotion = h.Poll!.Calls;

        h.Advance(5);

        Assert.Equal(pollsAfterPromotion, h.Poll.Calls);
        Assert.DoesNotContain(reader.DrainAvailable(), t => t.Source == TickSource.Poll && t.ReceiveTime > h.Now.AddSeconds(-5));
    }

    [Fact]
    public async Task ImplausibleFutureTimestamp_Rejected_AndDoesNotFreezeInstrument()
    {
        await using var h = new FeedHarness();
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();

        await h.Stream.Current.EmitAsync(TickBuilder.Make(h.SbinInstrument, TickSource.Stream, 100m, h.Now, h.Now.AddHours(3)));
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 101m, h.Now));

        Assert.Equal([101m], reader.DrainAvailable().Select(t => t.LastPrice));
        Assert.Equal(1, h.Feed.GetStreamStatus().Counters.ImplausibleDropped);
    }

    [Fact]
    public async Task TickLabelledWithWrongTier_Rejected()
    {
        await using var h = new FeedHarness();
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();

        await h.Stream.Current.EmitAsync(TickBuilder.Poll(h.SbinInstrument, 100m, h.Now));

        Assert.Empty(reader.DrainAvailable());
        Assert.Equal(1, h.Feed.GetStreamStatus().Counters.Rejected);
    }

    [Fact]
    public async Task EmptyTickFromASource_RejectedAndTheRestOfTheBatchDelivered()
    {
        await using var h = new FeedHarness();
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();

        // A source bug that leaves a slot of its batch unfilled: default(Tick) names no instrument.
        await h.Stream.Current.EmitAsync(default(Tick), TickBuilder.Stream(h.SbinInstrument, 100m, h.Now));

        Assert.Equal([100m], reader.DrainAvailable().Select(t => t.LastPrice));
        Assert.Equal((2L, 1L, 1L), (h.Feed.GetStreamStatus().Counters.Received, h.Feed.GetStreamStatus().Counters.Rejected, h.Feed.GetStreamStatus().Counters.Delivered));
    }

    [Fact]
    public async Task TicksFromDeadConnection_Rejected()
    {
        await using var h = new FeedHarness();
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();
        var dead = h.Stream.Current;
        dead.Drop(DisconnectReason.NetworkError);

        await dead.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 100m, h.Now));

        Assert.Empty(reader.DrainAvailable());
        Assert.Equal(1, h.Feed.GetStreamStatus().Counters.Rejected);
    }
}
