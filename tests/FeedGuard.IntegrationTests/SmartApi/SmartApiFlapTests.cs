using System.Diagnostics;
using FeedGuard.Emulator.Faults;
using FeedGuard.Events;
using FeedGuard.Failover;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>A flapping broker: every drop fails over, the backoff keeps growing (flap guard), and the data never repeats or goes back.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class SmartApiFlapTests
{
    [Fact]
    public async Task Flap_FailsOverOnEveryDropWithGrowingBackoffAndSettlesWhenItStops()
    {
        await using var rig = await SmartApiRig.StartAsync();
        await rig.WaitStreamingAsync();
        var start = Stopwatch.GetTimestamp();

        var flap = rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.Flap) { Interval = TimeSpan.FromSeconds(1.8) });
        await Eventually.UntilAsync(
            () => rig.Events.ModeChanges(start).Count(c => c.From == FeedState.Streaming && c.To == FeedState.Polling) >= 2,
            TimeSpan.FromSeconds(12),
            () => "two failovers; changes " + string.Join(" | ", rig.Events.ModeChanges(start).Select(c => c.Describe())));
        rig.Emulator.Faults.Clear(flap.Id);

        await Eventually.UntilAsync(() => rig.State == FeedState.Streaming, Failover.RestoreBound, () => "streaming again; status " + rig.StatusJson);
        await Eventually.AlwaysAsync(() => rig.State == FeedState.Streaming, TimeSpan.FromSeconds(2), () => "still streaming once the flapping stopped; status " + rig.StatusJson);

        var changes = rig.Events.ModeChanges(start);
        Assert.All(changes.Where(c => c.To == FeedState.Polling && c.From == FeedState.Streaming), c => Assert.Equal(Sources.DisconnectReason.NetworkError, c.Reason));
        Assert.DoesNotContain(changes, c => c.To is FeedState.Error or FeedState.Simulation);

        // The connection never stayed up for the stability window, so attempts were not reset to 1 each time.
        Assert.Contains(rig.Events.All().OfType<ReconnectAttemptEvent>(), e => e.Attempt >= 2);
        Failover.AssertIntegrity(rig);
    }
}
