using System.Diagnostics;
using FeedGuard.Emulator.Faults;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Reconnect;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.Contract;

// Rejected credentials stop every retry; rate limits cool down, never hammer, and recover.
public abstract partial class BrokerContractTests
{
    [Fact]
    public async Task AuthReject_WhileStreaming_EndsInErrorWithTheReasonAndStopsRetrying()
    {
        await using var rig = await StartRigAsync();
        await rig.WaitStreamingAsync();

        rig.Inject(new FaultSpec(FaultKind.AuthReject) { Message = Broker.AuthRejectMessage });
        rig.Inject(new FaultSpec(FaultKind.Drop));

        await Eventually.UntilAsync(() => rig.State == FeedState.Error, TimeSpan.FromSeconds(5), () => "error; status " + rig.StatusJson);
        var status = rig.Feed.GetStreamStatus();
        Assert.Equal(DisconnectReason.AuthRejected, status.LastError?.Reason);
        Assert.True(status.AuthBlocked);
        Assert.True(Broker.AuthRejectedWords.Any(w => status.LastError!.Message.Contains(w, StringComparison.Ordinal)), status.LastError!.Message);
        await Eventually.UntilAsync(() => rig.Events.ModeChanges() is [.., { To: FeedState.Error }], TimeSpan.FromSeconds(2), () => "the change to error read");
        var last = rig.Events.ModeChanges()[^1];
        Assert.Equal((FeedState.Error, DisconnectReason.AuthRejected), (last.To, last.Reason));

        await AssertNoRetryStormAsync(rig);
    }

    [Fact]
    public async Task AuthReject_AtStart_EndsInErrorWithTheHandshakeMessage()
    {
        await using var rig = await StartRigAsync(new RigSettings { Client = new ClientSettings { WrongToken = true } });

        await Eventually.UntilAsync(() => rig.State == FeedState.Error, TimeSpan.FromSeconds(5), () => "error; status " + rig.StatusJson);

        var status = rig.Feed.GetStreamStatus();
        Assert.Equal(DisconnectReason.AuthRejected, status.LastError?.Reason);
        Assert.Contains(Broker.HandshakeRejectedWords, status.LastError!.Message, StringComparison.Ordinal);
        await Eventually.UntilAsync(() => rig.Events.ModeChanges().Count > 0, TimeSpan.FromSeconds(2), () => "the change to error read");
        Assert.Collection(
            rig.Events.ModeChanges(),
            c => Assert.Equal((FeedState.Connecting, FeedState.Error, DisconnectReason.AuthRejected), (c.From, c.To, c.Reason)));
        Assert.Equal(1, rig.Counters.HandshakesRejected);
        await AssertNoRetryStormAsync(rig);
    }

    [Fact]
    public async Task RateLimit_OnStreamAndRest_BacksOffWithoutHammeringAndRecovers()
    {
        await using var rig = await StartRigAsync();
        await rig.WaitStreamingAsync();
        var start = Stopwatch.GetTimestamp();
        var counters = rig.Counters;
        var handshakesBefore = counters.HandshakesRejected;
        var restBefore = counters.RestRequestsRejected;

        var fault = rig.Inject(new FaultSpec(FaultKind.RateLimit));
        rig.Inject(new FaultSpec(FaultKind.Drop));

        // Polls keep being refused: after three the feed says so, as an error with the reason.
        await Eventually.UntilAsync(() => rig.State == FeedState.Error, TimeSpan.FromSeconds(8), () => "error; status " + rig.StatusJson);
        var status = rig.Feed.GetStreamStatus();
        Assert.Equal(DisconnectReason.RateLimited, status.LastError?.Reason);
        Assert.False(status.AuthBlocked);

        // Never a burst: polling backs off in doubling steps up to its one-second cap, reconnects wait
        // the one-second rate-limit cooldown (one request more for each, for the timing of the check).
        var elapsed = Stopwatch.GetElapsedTime(start);
        Assert.InRange(counters.RestRequestsRejected - restBefore, 1, ContractBroker.RequestsAllowedUnderARateLimit(elapsed) + 1);
        Assert.InRange(counters.HandshakesRejected - handshakesBefore, 1, (long)elapsed.TotalSeconds + 2);

        rig.Clear(fault.Id);
        await Eventually.UntilAsync(() => rig.State == FeedState.Streaming, FailoverDrill.RestoreBound, () => "streaming again; status " + rig.StatusJson);
        await Eventually.UntilAsync(() => rig.Events.ModeChanges(start) is [.., { To: FeedState.Streaming }], TimeSpan.FromSeconds(2), () => "the change read");

        var changes = rig.Events.ModeChanges(start);
        Assert.Equal((FeedState.Streaming, FeedState.Polling, DisconnectReason.NetworkError), (changes[0].From, changes[0].To, changes[0].Reason));
        Assert.Contains(changes, c => c.To == FeedState.Error && c.Reason == DisconnectReason.RateLimited);
        Assert.Equal(DisconnectReason.None, changes[^1].Reason);
        Assert.Contains(rig.Events.All().OfType<ReconnectAttemptEvent>(), e => e.Kind == ReconnectStepKind.RateLimitCooldown);
        await FailoverDrill.AssertIntegrityAsync(rig);
    }

    [Fact]
    public async Task RestRateLimit_WhilePolling_PausesAndKeepsServingWithinTheLimit()
    {
        // The broker allows 2 quote requests per second; the feed asks 4 times a second.
        await using var rig = await StartRigAsync(new RigSettings { QuoteRequestsPerSecond = 2 });
        await rig.WaitStreamingAsync();
        var drop = rig.Inject(new FaultSpec(FaultKind.Drop) { Duration = Forever });
        var start = Stopwatch.GetTimestamp();
        var counters = rig.Counters;

        await Eventually.UntilAsync(() => counters.RestRequestsRejected > 0, TimeSpan.FromSeconds(5), () => "a refusal from the quote endpoint");
        await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().LastError?.Reason == DisconnectReason.RateLimited, TimeSpan.FromSeconds(2), () => "rate limit in status; " + rig.StatusJson);

        // Polling pauses and resumes: the data keeps flowing, and the feed never gives up on polling.
        await rig.EveryInstrumentServedAsync(Stopwatch.GetTimestamp(), TickSource.Poll, "polled ticks after the rate limit");
        Assert.Equal(FeedState.Polling, rig.State);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Assert.InRange(counters.RestRequestsRejected, 1, (long)seconds + 1);

        rig.Clear(drop.Id);
        await Eventually.UntilAsync(() => rig.State == FeedState.Streaming, FailoverDrill.RestoreBound, () => "streaming again; status " + rig.StatusJson);
        Assert.DoesNotContain(rig.Events.ModeChanges(start), c => c.To is FeedState.Error or FeedState.Simulation);
        await FailoverDrill.AssertIntegrityAsync(rig);
    }

    [Fact]
    public async Task StreamRateLimit_OneSocketTooMany_IsRefused429AndCoolsDownWhilePollingServes()
    {
        await using var rig = await StartRigAsync(new RigSettings
        {
            // A fixed one-second first backoff leaves time to take every socket slot after the drop.
            Feed = o => o with { Reconnect = o.Reconnect with { BaseDelay = TimeSpan.FromSeconds(1), Jitter = 0 } },
        });
        await rig.WaitStreamingAsync();
        var start = Stopwatch.GetTimestamp();

        rig.Inject(new FaultSpec(FaultKind.Drop));
        await Eventually.UntilAsync(() => rig.Counters.ConnectionsOpen == 0, TimeSpan.FromSeconds(2), () => "the feed's socket gone");
        var others = new List<IDisposable>();
        try
        {
            // Another program on the same account holds every socket the broker allows.
            while (others.Count < Broker.Sockets)
            {
                others.Add(await Broker.OccupySocketAsync(rig.Emulator));
            }

            await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().LastError?.Reason == DisconnectReason.RateLimited, TimeSpan.FromSeconds(5), () => "429 in status; " + rig.StatusJson);
            Assert.Contains("HTTP 429", rig.Feed.GetStreamStatus().LastError!.Message, StringComparison.Ordinal);
            await Eventually.UntilAsync(
                () => rig.Events.All().OfType<ReconnectAttemptEvent>().Any(e => e.Kind == ReconnectStepKind.RateLimitCooldown),
                TimeSpan.FromSeconds(2),
                () => "a rate-limit cooldown scheduled");

            await rig.EveryInstrumentServedAsync(Stopwatch.GetTimestamp(), TickSource.Poll, "polling serves while the stream cools down");
            Assert.Equal(FeedState.Polling, rig.State);
        }
        finally
        {
            foreach (var other in others)
            {
                other.Dispose();
            }
        }

        await Eventually.UntilAsync(() => rig.Events.FirstChangeTo(FeedState.Streaming, start) is not null, FailoverDrill.RestoreBound, () => "streaming again; status " + rig.StatusJson);
        Assert.Collection(
            rig.Events.ModeChanges(start),
            c => Assert.Equal((FeedState.Polling, DisconnectReason.NetworkError), (c.To, c.Reason)),
            c => Assert.Equal((FeedState.Streaming, DisconnectReason.None), (c.To, c.Reason)));
        await FailoverDrill.AssertIntegrityAsync(rig);
    }

    private static async Task AssertNoRetryStormAsync(BrokerRig rig)
    {
        var counters = rig.Counters;
        var handshakes = counters.HandshakesRejected + counters.ConnectionsAccepted;
        var rest = counters.RestRequestsRejected + counters.RestRequestsServed;

        // Five times the first backoff, and longer than the whole first round of reconnects.
        await Eventually.AlwaysAsync(
            () => counters.HandshakesRejected + counters.ConnectionsAccepted == handshakes && counters.RestRequestsRejected + counters.RestRequestsServed == rest,
            TimeSpan.FromSeconds(3),
            () => $"no handshake or REST request after the rejection; handshakes {counters.HandshakesRejected}+{counters.ConnectionsAccepted}, REST {counters.RestRequestsRejected}+{counters.RestRequestsServed}");
        Assert.Equal(FeedState.Error, rig.State);
        Assert.Null(rig.Feed.GetStreamStatus().NextReconnectAt);
    }
}
