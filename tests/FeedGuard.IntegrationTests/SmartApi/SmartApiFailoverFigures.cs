using FeedGuard.Emulator.Faults;
using FeedGuard.Sources;
using Xunit.Abstractions;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>
/// How long failover takes with the rig's settings, measured (not asserted beyond generous bounds;
/// speed belongs to benchmarks): fault start → first polled tick, and fault end → streaming.
/// </summary>
[Collection(LoopbackCollection.Name)]
public sealed class SmartApiFailoverFigures(ITestOutputHelper output)
{
    [Fact]
    public async Task Failover_StallDropMute_Measured()
    {
        await using var rig = await SmartApiRig.StartAsync();
        var faults = rig.Emulator.Faults;
        output.WriteLine("settings: PingInterval 500 ms, PongTimeout 1 s, KeepAlive 500 ms/1 s, FrameTimeout 4 s, HeartbeatThreshold 3 s, " +
            "HealthCheckInterval 100 ms, PollInterval 250 ms, Reconnect BaseDelay 200 ms (jitter 0.2), PromoteWindow 1 s, 3 NSE instruments at 10 ticks/s, LTP");

        foreach (var (name, kind, reason) in new[] { ("stall", FaultKind.Stall, DisconnectReason.NoPong), ("drop", FaultKind.Drop, DisconnectReason.NetworkError), ("mute", FaultKind.MuteData, DisconnectReason.NoData) })
        {
            for (var run = 1; run <= 2; run++)
            {
                long id = 0;
                var result = await Failover.RunAsync(
                    rig,
                    () => id = faults.Inject(new FaultSpec(kind) { Duration = kind == FaultKind.Drop ? TimeSpan.FromMinutes(5) : null }).Id,
                    () => faults.Clear(id),
                    TimeSpan.FromSeconds(5));
                output.WriteLine($"{name} #{run}: {result}");
                Failover.AssertSimpleStory(result, reason);
                Assert.InRange(result.ToFirstPolledTick, TimeSpan.Zero, TimeSpan.FromSeconds(5));
            }
        }

        Failover.AssertIntegrity(rig);
    }
}
