using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Failover;

/// <summary>One test per row of the state-machine table (DESIGN §3), asserting the state sequence and the reasons.</summary>
public sealed class MarketFeedStateMachineTests
{
    [Fact]
    public async Task Start_StreamConfigured_IsConnecting()
    {
        await using var h = new FeedHarness();
        h.Stream.DefaultOutcome = ConnectOutcome.Hang;

        await h.StartAsync();

        Assert.Equal(FeedState.Connecting, h.Feed.State);
        var status = h.Feed.GetStreamStatus();
        Assert.Equal(FeedState.Connecting, status.Status);
        Assert.Equal(DataTier.Streaming, status.Mode);
        Assert.False(status.ConnectionActive);
    }

    [Fact]
    public async Task Connecting_ConnectedAndSubscribed_IsStreaming()
    {
        await using var h = new FeedHarness();

        await h.StartAsync();

        Assert.Equal([FeedState.Streaming], h.States);
        Assert.True(h.Feed.GetStreamStatus().ConnectionActive);
        Assert.Equal(1, h.Stream.ConnectAttempts);
    }

    [Theory]
    [InlineData(DisconnectReason.NetworkError)]
    [InlineData(DisconnectReason.ClosedByServer)]
    [InlineData(DisconnectReason.RateLimited)]
    public async Task Connecting_ConnectFails_FallsBackToPollingAtOnce(DisconnectReason reason)
    {
        await using var h = new FeedHarness();
        h.Stream.Then(ConnectOutcome.Fail(reason, "refused"));

        await h.StartAsync();

        var change = Assert.Single(h.ModeChanges);
        Assert.Equal((FeedState.Connecting, FeedState.Polling, reason), (change.From, change.To, change.Reason));
        Assert.Equal(1, h.Poll!.Calls);
        Assert.Equal(reason, h.Feed.GetStreamStatus().LastError!.Reason);
    }

    [Theory]
    [InlineData(DisconnectReason.ClosedByServer)]
    [InlineData(DisconnectReason.NetworkError)]
    [InlineData(DisconnectReason.NoPong)]
    public async Task Streaming_SocketDrops_FallsBackToPollingAtOnce(DisconnectReason reason)
    {
        await using var h = new FeedHarness();
        await h.StartAsync();

        h.Stream.Current.Drop(reason, "gone");

        Assert.Equal([FeedState.Streaming, FeedState.Polling], h.States);
        Assert.Equal(reason, h.ModeChanges[^1].Reason);
        Assert.Equal(1, h.Poll!.Calls);
        Assert.False(h.Feed.GetStreamStatus().ConnectionActive);
    }

    [Fact]
    public async Task Streaming_NoDataPastThreshold_FallsBackToPolling()
    {
        await using var h = new FeedHarness(o => o with { FrameTimeout = Timeout.InfiniteTimeSpan });
        await h.StartAsync();

        h.Advance(30);

        Assert.Equal([FeedState.Streaming, FeedState.Polling], h.States);
        Assert.Equal(DisconnectReason.NoData, h.ModeChanges[^1].Reason);
        Assert.True(h.Stream.Current.IsDisposed);
    }

    [Fact]
    public async Task Streaming_TooManyMalformedFrames_FallsBackToPolling()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();

        for (var i = 0; i < 30; i++)
        {
            h.Stream.Current.Malformed();
        }

        h.Advance(1);

        Assert.Equal([FeedState.Streaming, FeedState.Polling], h.States);
        Assert.Equal(DisconnectReason.MalformedStream, h.ModeChanges[^1].Reason);
        Assert.Equal(30, h.Feed.GetStreamStatus().Counters.Malformed);
    }

    [Fact]
    public async Task Streaming_DropsWithoutPollingSource_IsError()
    {
        await using var h = new FeedHarness(withPolling: false);
        await h.StartAsync();

        h.Stream.Current.Drop(DisconnectReason.NetworkError);

        Assert.Equal([FeedState.Streaming, FeedState.Error], h.States);
        Assert.Equal(DisconnectReason.NetworkError, h.ModeChanges[^1].Reason);
        Assert.NotNull(h.Feed.GetStreamStatus().NextReconnectAt);
    }

    [Fact]
    public async Task Polling_PollingFailsRepeatedly_SimulationNotAllowed_IsError()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Poll!.FailWith(DisconnectReason.NetworkError, "REST down");
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.NetworkError);

        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(2);

        Assert.Equal([FeedState.Streaming, FeedState.Polling, FeedState.Error], h.States);
        Assert.Contains("polling failed 3 times", h.ModeChanges[^1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Polling_PollingFailsRepeatedly_SimulationAllowed_IsSimulation()
    {
        await using var h = new FeedHarness(o => o with { AllowSimulation = true, SimulationSeed = 7 });
        await h.StartAsync();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 500m, h.Now));
        h.Poll!.FailWith(DisconnectReason.NetworkError, "REST down");
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.NetworkError);

        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(2);

        Assert.Equal([FeedState.Streaming, FeedState.Polling, FeedState.Simulation], h.States);
        Assert.Equal(DataTier.Simulation, h.Feed.GetStreamStatus().Mode);
        Assert.True(h.Feed.TryGetLatest(FeedHarness.Sbin, out var latest));
        Assert.Equal(TickSource.Simulated, latest.Source);
    }

    [Fact]
    public async Task Polling_StreamRestoredAndFreshForPromoteWindow_IsStreaming()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.Current.Drop(DisconnectReason.NetworkError);

        h.Advance(1); // backoff for attempt 1 with jitter at its midpoint
        Assert.Equal(2, h.Stream.ConnectAttempts);
        Assert.Equal(FeedState.Polling, h.Feed.State);
        Assert.True(h.Feed.GetStreamStatus().ConnectionActive);

        await h.AdvanceStreamingAsync(TimeSpan.FromSeconds(4.9), TimeSpan.FromMilliseconds(500));
        Assert.Equal(FeedState.Polling, h.Feed.State);

        await h.AdvanceStreamingAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500));
        Assert.Equal([FeedState.Streaming, FeedState.Polling, FeedState.Streaming], h.States);
        Assert.Equal(DisconnectReason.None, h.ModeChanges[^1].Reason);
    }

    [Fact]
    public async Task Polling_RestoredStreamMostlyMalformedThroughItsWindow_KeepsPollingUntilItsFramesAreGood()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(1);
        Assert.Equal(2, h.Stream.ConnectAttempts);

        // A fresh tick every second, and two bad frames with each: 18 frames in the window, fewer than the
        // health check's MalformedMinFrames, so only the promotion can notice the stream is mostly broken.
        var price = 100m;
        for (var second = 0; second < 6; second++)
        {
            h.Advance(1);
            price += 0.05m;
            await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, price, h.Now));
            h.Stream.Current.Malformed();
            h.Stream.Current.Malformed();
        }

        Assert.Equal([FeedState.Streaming, FeedState.Polling], h.States);
        Assert.Equal(2, h.Stream.ConnectAttempts);

        // Clean frames from here on (the health check may still condemn this connection for the bad frames
        // behind it, and the reconnect then carries on): a window of good ones promotes the stream.
        await h.AdvanceStreamingAsync(TimeSpan.FromSeconds(12), TimeSpan.FromMilliseconds(500), price);
        Assert.Equal([FeedState.Streaming, FeedState.Polling, FeedState.Streaming], h.States);
    }

    [Fact]
    public async Task Error_StreamRestored_IsStreamingOnFirstFreshTick()
    {
        await using var h = new FeedHarness(withPolling: false);
        await h.StartAsync();
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(1);

        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 101m, h.Now));

        Assert.Equal([FeedState.Streaming, FeedState.Error, FeedState.Streaming], h.States);
    }

    [Fact]
    public async Task Any_AuthRejected_IsErrorAndReconnectsStop()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.AuthRejected, "401 Invalid token");

        h.Stream.Current.Drop(DisconnectReason.AuthRejected, "401 Invalid token");
        h.Advance(TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(1));

        Assert.Equal([FeedState.Streaming, FeedState.Error], h.States);
        Assert.Equal(DisconnectReason.AuthRejected, h.ModeChanges[^1].Reason);
        Assert.Equal(1, h.Stream.ConnectAttempts);
        var status = h.Feed.GetStreamStatus();
        Assert.True(status.AuthBlocked);
        Assert.Null(status.NextReconnectAt);
    }

    [Fact]
    public async Task Any_StopRequested_IsStopped()
    {
        var h = new FeedHarness();
        await h.StartAsync();
        var subscription = h.Feed.Subscribe();

        await h.Feed.StopAsync();

        Assert.Equal([FeedState.Streaming, FeedState.Stopped], h.States);
        Assert.True(h.Stream.Current.IsDisposed);
        Assert.False(await subscription.WaitToReadAsync());
        await h.DisposeAsync();
    }

    [Fact]
    public async Task Probation_PollingFailsRepeatedly_PromotesRestoredStreamInsteadOfSimulating()
    {
        await using var h = new FeedHarness(o => o with { AllowSimulation = true, PromoteWindow = TimeSpan.FromSeconds(30) });
        await h.StartAsync();
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(1);
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 100m, h.Now));
        h.Poll!.FailWith(DisconnectReason.NetworkError, "REST down");

        await h.AdvanceStreamingAsync(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(500));

        Assert.Equal([FeedState.Streaming, FeedState.Polling, FeedState.Streaming], h.States);
        Assert.Equal(0, h.Feed.GetStreamStatus().Counters.ReceivedSimulated);
    }

    [Fact]
    public async Task Stop_WhileProducerWaitsOnFullLosslessSubscriber_Completes()
    {
        await using var h = new FeedHarness();
        var stalled = h.Feed.Subscribe(new FeedGuard.Buffers.SubscriptionOptions { Name = "recorder", Policy = FeedGuard.Buffers.BufferPolicy.Wait, Capacity = 1 });
        await h.StartAsync();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 100m, h.Now));
        var blocked = h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 101m, h.Now.AddMilliseconds(1))).AsTask();
        Assert.False(blocked.IsCompleted);

        await h.Feed.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await blocked.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(stalled.TryRead(out var first));
        Assert.Equal(100m, first.LastPrice);
        Assert.False(await stalled.WaitToReadAsync());
    }
}
