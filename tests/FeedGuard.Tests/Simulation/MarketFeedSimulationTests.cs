using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Simulation;

/// <summary>Simulation is a safety hazard: never unless allowed, always labelled, never mixed with real data.</summary>
public sealed class MarketFeedSimulationTests
{
    [Fact]
    public async Task NothingWorks_SimulationNotAllowed_NoSimulatedTickEver()
    {
        await using var h = new FeedHarness(withPolling: false);
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 100m, h.Now));
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.NetworkError);
        h.Stream.Current.Drop(DisconnectReason.NetworkError);

        h.Advance(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1));

        Assert.Equal([FeedState.Streaming, FeedState.Error], h.States);
        Assert.Equal(0, h.Feed.GetStreamStatus().Counters.ReceivedSimulated);
        Assert.All(reader.DrainAvailable(), t => Assert.Equal(TickSource.Stream, t.Source));
    }

    [Fact]
    public async Task NoPollingSource_SimulationAllowed_SimulatesFromLastRealPrice()
    {
        await using var h = new FeedHarness(o => o with { AllowSimulation = true, SimulationSeed = 1 }, withPolling: false);
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 600.10m, h.Now));
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.NetworkError);
        h.Stream.Current.Drop(DisconnectReason.NetworkError);

        h.Advance(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));

        Assert.Equal([FeedState.Streaming, FeedState.Simulation], h.States);
        var status = h.Feed.GetStreamStatus();
        Assert.Equal(DataTier.Simulation, status.Mode);
        Assert.True(status.SimulationAllowed);
        var simulated = reader.DrainAvailable().Skip(1).ToList();
        Assert.InRange(simulated.Count, 10, 11);
        Assert.All(simulated, t =>
        {
            Assert.Equal(TickSource.Simulated, t.Source);
            Assert.Same(h.SbinInstrument, t.Instrument); // Reliance never had a real price: not invented
            Assert.Null(t.ExchangeTime);
            Assert.Equal(0m, t.LastPrice % 0.05m);
        });
        Assert.InRange(Math.Abs(simulated[0].LastPrice - 600.10m), 0.04m, 0.11m);
    }

    [Fact]
    public async Task StreamRestored_SimulationStopsAtFirstRealTick()
    {
        await using var h = new FeedHarness(o => o with { AllowSimulation = true, SimulationSeed = 1 }, withPolling: false);
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait });
        await h.StartAsync();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 600m, h.Now));
        h.Stream.Then(ConnectOutcome.Fail(DisconnectReason.NetworkError));
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)); // attempt 1 fails, attempt 2 (at 3 s) connects

        Assert.Equal(FeedState.Simulation, h.Feed.State);
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 601m, h.Now));
        h.Advance(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

        Assert.Equal([FeedState.Streaming, FeedState.Simulation, FeedState.Streaming], h.States);
        var delivered = reader.DrainAvailable();
        var firstReal = delivered.FindIndex(1, t => t.Source == TickSource.Stream);
        Assert.True(firstReal > 1);
        Assert.All(delivered.Skip(firstReal), t => Assert.Equal(TickSource.Stream, t.Source));
        var gap = Assert.Single(h.Events.OfType<GapEvent>(), g => g.Instrument is null);
        Assert.Equal(GapCoverage.Simulated, gap.CoveredBy);
    }

    [Fact]
    public async Task PollingRecovers_SimulationStops()
    {
        await using var h = new FeedHarness(o => o with { AllowSimulation = true, SimulationSeed = 3 });
        await h.StartAsync();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 600m, h.Now));
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.NetworkError);
        h.Poll!.FailWith(DisconnectReason.NetworkError);
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1));
        Assert.Equal(FeedState.Simulation, h.Feed.State);

        h.Poll.Respond(_ => PollResult.Of([TickBuilder.Poll(h.SbinInstrument, 602m, h.Now)]));
        h.Advance(1);
        var simulatedSoFar = h.Feed.GetStreamStatus().Counters.ReceivedSimulated;
        h.Advance(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

        Assert.Equal([FeedState.Streaming, FeedState.Polling, FeedState.Simulation, FeedState.Polling], h.States);
        Assert.Equal(simulatedSoFar, h.Feed.GetStreamStatus().Counters.ReceivedSimulated);
    }

    [Fact]
    public async Task SecondSimulationPeriod_RestartsFromLastRealPrice()
    {
        await using var h = new FeedHarness(o => o with { AllowSimulation = true, SimulationSeed = 7 });
        var reader = h.Feed.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.DropOldest, Capacity = 100_000 });
        await h.StartAsync();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 500m, h.Now));
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.NetworkError);
        h.Poll!.FailWith(DisconnectReason.NetworkError);
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(TimeSpan.FromSeconds(400), TimeSpan.FromSeconds(1));
        h.Poll.Respond(_ => PollResult.Of([]));
        h.Advance(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1));
        Assert.Equal(FeedState.Polling, h.Feed.State);
        reader.DrainAvailable();

        h.Poll.FailWith(DisconnectReason.NetworkError);
        h.Advance(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1));

        Assert.Equal(FeedState.Simulation, h.Feed.State);
        var first = reader.DrainAvailable().First(t => t.Source == TickSource.Simulated);
        Assert.InRange(first.LastPrice, 499.95m, 500.05m);
    }
}
