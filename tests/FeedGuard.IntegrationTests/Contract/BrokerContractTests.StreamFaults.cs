using System.Diagnostics;
using FeedGuard.Emulator.Faults;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Sources;

namespace FeedGuard.IntegrationTests.Contract;

// Each stream fault the emulator can inject: streaming → polling (with the reason) → streaming, with
// polled ticks for every instrument meanwhile, and no duplicate or backward tick anywhere.
public abstract partial class BrokerContractTests
{
    /// <summary>The feed condemns a stream once over half of at least 20 recent frames were bad: every one of those was counted.</summary>
    private static readonly long FewestBadFramesToFailOver = (long)(new MarketFeedOptions().MalformedMinFrames * new MarketFeedOptions().MaxMalformedRatio);
    [Fact]
    public async Task Drop_FailsOverToPollingAndBackToStreaming()
    {
        await using var rig = await StartRigAsync();
        long id = 0;

        var result = await FailoverDrill.RunAsync(rig, () => id = rig.Inject(new FaultSpec(FaultKind.Drop) { Duration = Forever }).Id, () => rig.Clear(id), TimeSpan.FromSeconds(2));

        Output.WriteLine(result.ToString());
        FailoverDrill.AssertSimpleStory(result, DisconnectReason.NetworkError);
        await FailoverDrill.AssertIntegrityAsync(rig);
        var status = rig.Feed.GetStreamStatus();
        Assert.Equal(DisconnectReason.NetworkError, status.LastError?.Reason);
        Assert.True(status.ConnectionActive);
        Assert.True(status.Counters.Reconnects >= 1);
        Assert.True(rig.Counters.HandshakesRejected >= 1, "reconnects during the drop were reset");
    }

    [Fact]
    public async Task ServerClose_FailsOverToPollingAndBackToStreaming()
    {
        await using var rig = await StartRigAsync();
        long id = 0;

        var result = await FailoverDrill.RunAsync(
            rig,
            () => id = rig.Inject(new FaultSpec(FaultKind.ServerClose) { Duration = Forever, Message = "maintenance" }).Id,
            () => rig.Clear(id),
            TimeSpan.FromSeconds(2));

        Output.WriteLine(result.ToString());
        FailoverDrill.AssertSimpleStory(result, DisconnectReason.ClosedByServer);
        await FailoverDrill.AssertIntegrityAsync(rig);
        Assert.Contains("close frame", result.Changes[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MuteData_FailsOverOnTheHeartbeatThresholdAndBackToStreaming()
    {
        await using var rig = await StartRigAsync();
        long id = 0;

        var result = await FailoverDrill.RunAsync(rig, () => id = rig.Inject(new FaultSpec(FaultKind.MuteData)).Id, () => rig.Clear(id), TimeSpan.FromSeconds(5));

        Output.WriteLine(result.ToString());
        FailoverDrill.AssertSimpleStory(result, DisconnectReason.NoData);
        await FailoverDrill.AssertIntegrityAsync(rig);

        // The broker's keep-alives (pongs, heartbeats) kept the socket alive; only the data layer (3 s without a tick) could see it.
        Assert.True(result.ToPolling >= TimeSpan.FromSeconds(2.9), $"failed over after {result.ToPolling}, before the 3 s threshold");
        Assert.True(rig.Counters.PacketsMuted > 0);
    }

    [Fact]
    public async Task Malformed_AtAHighRate_FailsOverAndCountsTheBadFrames()
    {
        await using var rig = await StartRigAsync();
        long id = 0;

        var result = await FailoverDrill.RunAsync(rig, () => id = rig.Inject(new FaultSpec(FaultKind.Malformed) { Rate = 0.9 }).Id, () => rig.Clear(id), TimeSpan.FromSeconds(5));

        Output.WriteLine(result.ToString());
        FailoverDrill.AssertSimpleStory(result, DisconnectReason.MalformedStream);
        await FailoverDrill.AssertIntegrityAsync(rig);
        Assert.InRange(rig.Feed.GetStreamStatus().Counters.Malformed, FewestBadFramesToFailOver, rig.Counters.MalformedSent);
    }

    [Fact]
    public async Task Malformed_AtALowRate_IsCountedAndSkippedWhileStreamingContinues()
    {
        await using var rig = await StartRigAsync();
        await rig.WaitStreamingAsync();
        var before = rig.Ticks.Count;

        // Until a handful of bad packets went out (however slowly a loaded machine sends), and a while after.
        var fault = rig.Inject(new FaultSpec(FaultKind.Malformed) { Rate = 0.1 });
        await Eventually.UntilAsync(() => rig.Counters.MalformedSent >= 5, TimeSpan.FromSeconds(15), () => "five malformed packets sent; status " + rig.StatusJson);
        await Eventually.AlwaysAsync(() => rig.State == FeedState.Streaming, TimeSpan.FromSeconds(1), () => "streaming; status " + rig.StatusJson);
        rig.Clear(fault.Id);

        var sent = rig.Counters.MalformedSent;
        if (Broker.CountsMalformedPerPacket)
        {
            await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().Counters.Malformed == sent, TimeSpan.FromSeconds(2), () => $"{sent} malformed counted; status {rig.StatusJson}");
        }
        else
        {
            // One report per bad frame, and a frame may hold several bad packets.
            await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().Counters.Malformed > 0, TimeSpan.FromSeconds(2), () => $"malformed frames counted; status {rig.StatusJson}");
            Assert.InRange(rig.Feed.GetStreamStatus().Counters.Malformed, 1, sent);
        }

        // Good packets keep arriving on the same stream (a loaded machine may need a moment to show thirty of them).
        await Eventually.UntilAsync(() => rig.Ticks.Count > before + 30, TimeSpan.FromSeconds(10), () => $"good packets kept arriving; {rig.Ticks.Count - before} since the start; status {rig.StatusJson}");
        Assert.DoesNotContain(rig.Events.ModeChanges(), c => c.To != FeedState.Streaming);
        await FailoverDrill.AssertIntegrityAsync(rig);
    }

    [Fact]
    public async Task Truncated_FailsOverAndCountsTheCutFrames()
    {
        await using var rig = await StartRigAsync();
        long id = 0;

        var result = await FailoverDrill.RunAsync(rig, () => id = rig.Inject(new FaultSpec(FaultKind.Truncated) { Rate = 1.0 }).Id, () => rig.Clear(id), TimeSpan.FromSeconds(5));

        Output.WriteLine(result.ToString());
        FailoverDrill.AssertSimpleStory(result, DisconnectReason.MalformedStream);
        await FailoverDrill.AssertIntegrityAsync(rig);
        Assert.InRange(rig.Feed.GetStreamStatus().Counters.Malformed, FewestBadFramesToFailOver, rig.Counters.TruncatedSent);
    }

    [Fact]
    public async Task Flap_FailsOverOnEveryDropWithGrowingBackoffAndSettlesWhenItStops()
    {
        await using var rig = await StartRigAsync();
        await rig.WaitStreamingAsync();
        var start = Stopwatch.GetTimestamp();

        var flap = rig.Inject(new FaultSpec(FaultKind.Flap) { Interval = TimeSpan.FromSeconds(1.8) });
        await Eventually.UntilAsync(
            () => rig.Events.ModeChanges(start).Count(c => c.From == FeedState.Streaming && c.To == FeedState.Polling) >= 2,
            TimeSpan.FromSeconds(12),
            () => "two failovers; changes " + string.Join(" | ", rig.Events.ModeChanges(start).Select(c => c.Describe())));
        rig.Clear(flap.Id);

        await Eventually.UntilAsync(() => rig.State == FeedState.Streaming, FailoverDrill.RestoreBound, () => "streaming again; status " + rig.StatusJson);
        await Eventually.AlwaysAsync(() => rig.State == FeedState.Streaming, TimeSpan.FromSeconds(2), () => "still streaming once the flapping stopped; status " + rig.StatusJson);

        var changes = rig.Events.ModeChanges(start);
        Assert.All(changes.Where(c => c.To == FeedState.Polling && c.From == FeedState.Streaming), c => Assert.Equal(DisconnectReason.NetworkError, c.Reason));
        Assert.DoesNotContain(changes, c => c.To is FeedState.Error or FeedState.Simulation);

        // The connection never stayed up for the stability window, so attempts were not reset to 1 each time.
        Assert.Contains(rig.Events.All().OfType<ReconnectAttemptEvent>(), e => e.Attempt >= 2);
        await FailoverDrill.AssertIntegrityAsync(rig);
    }

    /// <summary>
    /// How long failover takes with the rig's settings, measured (not asserted beyond generous bounds;
    /// speed belongs to benchmarks): fault start → first polled tick, and fault end → streaming.
    /// </summary>
    [Fact]
    public async Task FailoverFigures_StallDropMute_Measured()
    {
        await using var rig = await StartRigAsync();
        Output.WriteLine($"{Broker.Name}, mode {Broker.Mode}: HeartbeatThreshold 3 s, FrameTimeout 4 s, HealthCheckInterval 100 ms, PollInterval 250 ms, " +
            "Reconnect BaseDelay 200 ms (jitter 0.2), PromoteWindow 1 s, 3 NSE instruments at 10 ticks/s; client liveness as in the broker's rig settings");

        foreach (var (name, kind, reason) in new[] { ("stall", FaultKind.Stall, Broker.StallReason), ("drop", FaultKind.Drop, DisconnectReason.NetworkError), ("mute", FaultKind.MuteData, DisconnectReason.NoData) })
        {
            for (var run = 1; run <= 2; run++)
            {
                long id = 0;
                var result = await FailoverDrill.RunAsync(
                    rig,
                    () => id = rig.Inject(new FaultSpec(kind) { Duration = kind == FaultKind.Drop ? Forever : null }).Id,
                    () => rig.Clear(id),
                    TimeSpan.FromSeconds(5));
                Output.WriteLine($"{name} #{run}: {result}");
                FailoverDrill.AssertSimpleStory(result, reason);
                Assert.InRange(result.ToFirstPolledTick, TimeSpan.Zero, TimeSpan.FromSeconds(5));
            }
        }

        await FailoverDrill.AssertIntegrityAsync(rig);
    }
}
