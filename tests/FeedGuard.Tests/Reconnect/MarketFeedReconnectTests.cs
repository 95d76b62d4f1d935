using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Reconnect;
using FeedGuard.Sources;
using FeedGuard.Testing;

namespace FeedGuard.Tests.Reconnect;

/// <summary>The reconnect policy as the supervisor runs it (DESIGN §5), with the jitter randomizer fixed at its midpoint.</summary>
public sealed class MarketFeedReconnectTests
{
    [Fact]
    public async Task StreamKeepsFailing_DelaysFollowPolicyTable_RoundsRepeatAfterCooldown()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.NetworkError, "refused");
        h.Stream.Current.Drop(DisconnectReason.NetworkError);

        // (seconds after the drop when the attempt is due, connect attempts made by then)
        (double At, int Attempts)[] timeline = [(1, 2), (3, 3), (7, 4), (67, 5), (69, 6), (73, 7), (133, 8)];
        var elapsed = 0.0;
        foreach (var (at, attempts) in timeline)
        {
            h.Advance(TimeSpan.FromSeconds(at - elapsed - 0.1));
            Assert.Equal(attempts - 1, h.Stream.ConnectAttempts);
            h.Advance(0.1);
            Assert.Equal(attempts, h.Stream.ConnectAttempts);
            elapsed = at;
        }

        var scheduled = h.Events.OfType<ReconnectAttemptEvent>().Select(e => (e.Attempt, e.Delay.TotalSeconds, e.Kind)).ToList();
        Assert.Equal(
            [
                (1, 1.0, ReconnectStepKind.Backoff), (2, 2.0, ReconnectStepKind.Backoff), (3, 4.0, ReconnectStepKind.Backoff),
                (1, 60.0, ReconnectStepKind.Cooldown), (2, 2.0, ReconnectStepKind.Backoff), (3, 4.0, ReconnectStepKind.Backoff),
                (1, 60.0, ReconnectStepKind.Cooldown), (2, 2.0, ReconnectStepKind.Backoff),
            ],
            scheduled);
        Assert.Equal(FeedState.Polling, h.Feed.State);
    }

    [Fact]
    public async Task Status_ShowsAttemptsAndNextReconnect()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.NetworkError);
        var droppedAt = h.Now;
        h.Stream.Current.Drop(DisconnectReason.NetworkError);

        Assert.Equal(droppedAt.AddSeconds(1), h.Feed.GetStreamStatus().NextReconnectAt);
        h.Advance(1);
        var status = h.Feed.GetStreamStatus();
        Assert.Equal(1, status.ReconnectAttempts);
        Assert.Equal(droppedAt.AddSeconds(3), status.NextReconnectAt);
        Assert.Equal(1, status.Counters.Reconnects);
    }

    [Fact]
    public async Task Flapping_ConnectionDropsWithinStabilityWindow_CounterKeepsClimbing()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(1); // attempt 1 connects

        await h.AdvanceStreamingAsync(TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500));
        Assert.Equal(FeedState.Streaming, h.Feed.State);
        Assert.Equal(1, h.Feed.GetStreamStatus().ReconnectAttempts);
        h.Stream.Current.Drop(DisconnectReason.ClosedByServer);

        var next = h.Events.OfType<ReconnectAttemptEvent>().Last();
        Assert.Equal((2, TimeSpan.FromSeconds(2)), (next.Attempt, next.Delay));
    }

    [Fact]
    public async Task StableConnection_CounterResetsAfterStabilityWindow()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(1);

        await h.AdvanceStreamingAsync(TimeSpan.FromSeconds(29), TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, h.Feed.GetStreamStatus().ReconnectAttempts);
        await h.AdvanceStreamingAsync(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, h.Feed.GetStreamStatus().ReconnectAttempts);

        h.Stream.Current.Drop(DisconnectReason.ClosedByServer);
        var next = h.Events.OfType<ReconnectAttemptEvent>().Last();
        Assert.Equal((1, TimeSpan.FromSeconds(1)), (next.Attempt, next.Delay));
    }

    [Fact]
    public async Task AuthRejectedOnReconnect_StopsRetriesAndPolling()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.AuthRejected, "Invalid feed token");
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(1);
        var pollsAtRejection = h.Poll!.Calls;

        h.Advance(TimeSpan.FromMinutes(30), TimeSpan.FromSeconds(1));

        Assert.Equal(2, h.Stream.ConnectAttempts);
        Assert.Equal(pollsAtRejection, h.Poll.Calls);
        Assert.Equal([FeedState.Streaming, FeedState.Polling, FeedState.Error], h.States);
        var status = h.Feed.GetStreamStatus();
        Assert.Equal(DisconnectReason.AuthRejected, status.LastError!.Reason);
        Assert.Equal("Invalid feed token", status.LastError.Message);
        Assert.True(status.AuthBlocked);
    }

    [Fact]
    public async Task AuthRejected_CredentialsProviderReturnsNewCredentials_Resumes()
    {
        var credentials = new ScriptedCredentialsProvider();
        await using var h = new FeedHarness(credentials: credentials);
        h.Stream.Then(ConnectOutcome.Fail(DisconnectReason.AuthRejected, "expired"));
        await h.StartAsync();
        Assert.Equal(FeedState.Error, h.Feed.State);
        Assert.Equal(1, credentials.Calls);

        h.Advance(TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(1));
        Assert.Equal(1, credentials.Calls);
        Assert.Equal(1, h.Stream.ConnectAttempts);

        credentials.HasNewCredentials = true;
        h.Advance(1);

        Assert.Equal(2, credentials.Calls);
        Assert.Equal(2, h.Stream.ConnectAttempts);
        Assert.False(h.Feed.GetStreamStatus().AuthBlocked);
        Assert.Equal([FeedState.Error, FeedState.Polling], h.States);
    }

    [Fact]
    public async Task AuthRejected_HostNotifiesCredentialsChanged_ReconnectsAtOnce()
    {
        await using var h = new FeedHarness(withPolling: false);
        h.Stream.Then(ConnectOutcome.Fail(DisconnectReason.AuthRejected, "expired"));
        await h.StartAsync();

        h.Feed.NotifyCredentialsChanged();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 100m, h.Now));

        Assert.Equal(2, h.Stream.ConnectAttempts);
        Assert.Equal([FeedState.Error, FeedState.Streaming], h.States);
    }

    [Fact]
    public async Task RateLimited_WaitsLongCooldown()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.Then(ConnectOutcome.Fail(DisconnectReason.RateLimited, "429 Too Many Requests"));
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(1);
        Assert.Equal(2, h.Stream.ConnectAttempts);

        h.Advance(TimeSpan.FromSeconds(299), TimeSpan.FromSeconds(1));
        Assert.Equal(2, h.Stream.ConnectAttempts);
        h.Advance(1);
        Assert.Equal(3, h.Stream.ConnectAttempts);
        Assert.Contains(h.Events.OfType<ReconnectAttemptEvent>(), e => e.Kind == ReconnectStepKind.RateLimitCooldown && e.Delay == TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task RateLimited_RetryAfterLongerThanCooldown_IsHonoured()
    {
        await using var h = new FeedHarness();
        h.Stream.Then(ConnectOutcome.Fail(DisconnectReason.RateLimited, "429", TimeSpan.FromMinutes(12)));
        await h.StartAsync();

        h.Advance(TimeSpan.FromMinutes(12) - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal(1, h.Stream.ConnectAttempts);
        h.Advance(1);
        Assert.Equal(2, h.Stream.ConnectAttempts);
    }

    [Theory]
    [InlineData(0, 60)] // the source names no wait: the feed's own cooldown
    [InlineData(3, 3)] // the source names one (its pacer refuses to send before then anyway): a minute more would be a minute without data
    public async Task PollRateLimited_PausesPollingForTheSourcesWaitOrElseTheCooldown(int namedSeconds, int pauseSeconds)
    {
        await using var h = new FeedHarness(o => o with { PollRateLimitCooldown = TimeSpan.FromSeconds(60), PollFailureThreshold = 10 });
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.NetworkError);
        h.Poll!.FailWith(DisconnectReason.RateLimited, "Access denied because of exceeding access rate", namedSeconds > 0 ? TimeSpan.FromSeconds(namedSeconds) : null);
        await h.StartAsync();
        Assert.Equal(1, h.Poll.Calls);

        h.Advance(TimeSpan.FromSeconds(pauseSeconds - 1), TimeSpan.FromSeconds(1));
        Assert.Equal(1, h.Poll.Calls);
        h.Advance(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal(2, h.Poll.Calls);
    }

    [Fact]
    public async Task ConnectHangs_TimesOutAndFallsBack()
    {
        await using var h = new FeedHarness(o => o with { ConnectTimeout = TimeSpan.FromSeconds(5) });
        h.Stream.Then(ConnectOutcome.Hang);
        await h.StartAsync();
        Assert.Equal(FeedState.Connecting, h.Feed.State);

        h.Advance(5);

        // The cancelled wait completes on the thread pool; wait for the fallback with a bound.
        await WaitUntil(() => h.Feed.State == FeedState.Polling);
        Assert.Contains("connect timed out after 5 s", h.Feed.GetStreamStatus().LastError!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NeverTwoConnectsAtOnce()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.DefaultOutcome = ConnectOutcome.Hang;
        h.Stream.Current.Drop(DisconnectReason.NetworkError);
        h.Advance(1);
        Assert.Equal(2, h.Stream.ConnectAttempts);

        // More failures of the old connection and health checks must not start a second attempt.
        h.Advance(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1));
        Assert.Equal(2, h.Stream.ConnectAttempts);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }
}
