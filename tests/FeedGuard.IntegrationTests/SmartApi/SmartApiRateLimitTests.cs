using System.Diagnostics;
using System.Net.WebSockets;
using FeedGuard.Emulator.Faults;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Reconnect;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>Rate limiting on the stream (HTTP 429) and on REST (HTTP 403 "exceeding access rate"): back off, never hammer, recover.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class SmartApiRateLimitTests
{
    [Fact]
    public async Task RateLimit_OnStreamAndRest_BacksOffWithoutHammeringAndRecovers()
    {
        await using var rig = await SmartApiRig.StartAsync();
        await rig.WaitStreamingAsync();
        var start = Stopwatch.GetTimestamp();
        var counters = rig.Emulator.Counters;
        var handshakesBefore = counters.HandshakesRejected;
        var restBefore = counters.RestRequestsRejected;

        var fault = rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.RateLimit));
        rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.Drop));

        // Polls keep being refused: after three the feed says so, as an error with the reason.
        await Eventually.UntilAsync(() => rig.State == FeedState.Error, TimeSpan.FromSeconds(8), () => "error; status " + rig.StatusJson);
        var status = rig.Feed.GetStreamStatus();
        Assert.Equal(DisconnectReason.RateLimited, status.LastError?.Reason);
        Assert.False(status.AuthBlocked);

        // One-second cooldowns on both paths: about one request per second each, never a burst.
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Assert.InRange(counters.RestRequestsRejected - restBefore, 1, (long)seconds + 2);
        Assert.InRange(counters.HandshakesRejected - handshakesBefore, 1, (long)seconds + 2);

        rig.Emulator.Faults.Clear(fault.Id);
        await Eventually.UntilAsync(() => rig.State == FeedState.Streaming, Failover.RestoreBound, () => "streaming again; status " + rig.StatusJson);
        await Eventually.UntilAsync(() => rig.Events.ModeChanges(start) is [.., { To: FeedState.Streaming }], TimeSpan.FromSeconds(2), () => "the change read");

        var changes = rig.Events.ModeChanges(start);
        Assert.Equal((FeedState.Streaming, FeedState.Polling, DisconnectReason.NetworkError), (changes[0].From, changes[0].To, changes[0].Reason));
        Assert.Contains(changes, c => c.To == FeedState.Error && c.Reason == DisconnectReason.RateLimited);
        Assert.Equal(DisconnectReason.None, changes[^1].Reason);
        Assert.Contains(rig.Events.All().OfType<ReconnectAttemptEvent>(), e => e.Kind == ReconnectStepKind.RateLimitCooldown);
        Failover.AssertIntegrity(rig);
    }

    [Fact]
    public async Task RestRateLimit_WhilePolling_PausesAndKeepsServingWithinTheLimit()
    {
        await using var rig = await SmartApiRig.StartAsync(new RigSettings
        {
            // The broker allows 2 quote requests per second; the feed asks 4 times a second.
            Emulator = o => o with { SmartApi = o.SmartApi with { QuoteRequestsPerSecond = 2 } },
        });
        await rig.WaitStreamingAsync();
        var drop = rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.Drop) { Duration = TimeSpan.FromMinutes(5) });
        var start = Stopwatch.GetTimestamp();
        var counters = rig.Emulator.Counters;

        await Eventually.UntilAsync(() => counters.RestRequestsRejected > 0, TimeSpan.FromSeconds(5), () => "a 403 from the quote endpoint");
        await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().LastError?.Reason == DisconnectReason.RateLimited, TimeSpan.FromSeconds(2), () => "rate limit in status; " + rig.StatusJson);
        var afterLimit = Stopwatch.GetTimestamp();

        // Polling pauses and resumes: the data keeps flowing, and the feed never gives up on polling.
        await Eventually.UntilAsync(
            () => rig.Feed.Instruments.All.All(i => rig.Ticks.Since(afterLimit, TickSource.Poll).Any(t => t.Instrument == i)),
            TimeSpan.FromSeconds(5),
            () => "polled ticks after the rate limit; status " + rig.StatusJson);
        Assert.Equal(FeedState.Polling, rig.State);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Assert.InRange(counters.RestRequestsRejected, 1, (long)seconds + 1);

        rig.Emulator.Faults.Clear(drop.Id);
        await Eventually.UntilAsync(() => rig.State == FeedState.Streaming, Failover.RestoreBound, () => "streaming again; status " + rig.StatusJson);
        Assert.DoesNotContain(rig.Events.ModeChanges(start), c => c.To is FeedState.Error or FeedState.Simulation);
        Failover.AssertIntegrity(rig);
    }

    [Fact]
    public async Task StreamRateLimit_FourthSocket429_CoolsDownWhilePollingServes()
    {
        await using var rig = await SmartApiRig.StartAsync(new RigSettings
        {
            // A fixed one-second first backoff leaves time to take every socket slot after the drop.
            Feed = o => o with { Reconnect = o.Reconnect with { BaseDelay = TimeSpan.FromSeconds(1), Jitter = 0 } },
        });
        await rig.WaitStreamingAsync();
        var start = Stopwatch.GetTimestamp();

        rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.Drop));
        await Eventually.UntilAsync(() => rig.Emulator.Counters.ConnectionsOpen == 0, TimeSpan.FromSeconds(2), () => "the feed's socket gone");
        var others = new List<ClientWebSocket>();
        try
        {
            // Another program on the same client code holds all three sockets the broker allows.
            while (others.Count < 3)
            {
                others.Add(await ConnectOtherAsync(rig));
            }

            await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().LastError?.Reason == DisconnectReason.RateLimited, TimeSpan.FromSeconds(5), () => "429 in status; " + rig.StatusJson);
            Assert.Contains("HTTP 429", rig.Feed.GetStreamStatus().LastError!.Message, StringComparison.Ordinal);
            await Eventually.UntilAsync(
                () => rig.Events.All().OfType<ReconnectAttemptEvent>().Any(e => e.Kind == ReconnectStepKind.RateLimitCooldown),
                TimeSpan.FromSeconds(2),
                () => "a rate-limit cooldown scheduled");

            var refused = Stopwatch.GetTimestamp();
            await Eventually.UntilAsync(
                () => rig.Feed.Instruments.All.All(i => rig.Ticks.Since(refused, TickSource.Poll).Any(t => t.Instrument == i)),
                TimeSpan.FromSeconds(5),
                () => "polling serves while the stream cools down; status " + rig.StatusJson);
            Assert.Equal(FeedState.Polling, rig.State);
        }
        finally
        {
            foreach (var other in others)
            {
                other.Abort();
                other.Dispose();
            }
        }

        await Eventually.UntilAsync(() => rig.Events.FirstChangeTo(FeedState.Streaming, start) is not null, Failover.RestoreBound, () => "streaming again; status " + rig.StatusJson);
        Assert.Collection(
            rig.Events.ModeChanges(start),
            c => Assert.Equal((FeedState.Polling, DisconnectReason.NetworkError), (c.To, c.Reason)),
            c => Assert.Equal((FeedState.Streaming, DisconnectReason.None), (c.To, c.Reason)));
        Failover.AssertIntegrity(rig);
    }

    private static async Task<ClientWebSocket> ConnectOtherAsync(SmartApiRig rig)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var ws = new ClientWebSocket();
            ws.Options.SetRequestHeader("Authorization", SmartApiRig.JwtToken);
            ws.Options.SetRequestHeader("x-api-key", SmartApiRig.ApiKey);
            ws.Options.SetRequestHeader("x-client-code", SmartApiRig.ClientCode);
            ws.Options.SetRequestHeader("x-feed-token", SmartApiRig.FeedToken);
            try
            {
                await ws.ConnectAsync(rig.Emulator.SmartStreamUrl, CancellationToken.None);
                return ws;
            }
            catch (WebSocketException) when (clock.Elapsed < TimeSpan.FromSeconds(2))
            {
                // The dropped socket's slot is released a moment after the reset.
                ws.Dispose();
                await Task.Delay(20);
            }
        }
    }
}
