using System.Diagnostics;
using FeedGuard.Emulator.Faults;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Ticks;
using Xunit.Abstractions;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>
/// Each stream fault the emulator can inject, against the real SmartAPI sources and a real feed
/// over loopback: what the user sees (modes, reasons, polled ticks, recovery, integrity).
/// </summary>
[Collection(LoopbackCollection.Name)]
public sealed class SmartApiFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Forever = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Drop_FailsOverToPollingAndBackToStreaming()
    {
        await using var rig = await SmartApiRig.StartAsync();
        long id = 0;

        var result = await Failover.RunAsync(
            rig,
            () => id = rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.Drop) { Duration = Forever }).Id,
            () => rig.Emulator.Faults.Clear(id),
            TimeSpan.FromSeconds(2));

        output.WriteLine(result.ToString());
        Failover.AssertSimpleStory(result, DisconnectReason.NetworkError);
        Failover.AssertIntegrity(rig);
        var status = rig.Feed.GetStreamStatus();
        Assert.Equal(DisconnectReason.NetworkError, status.LastError?.Reason);
        Assert.True(status.ConnectionActive);
        Assert.True(status.Counters.Reconnects >= 1);
        Assert.True(rig.Emulator.Counters.HandshakesRejected >= 1, "reconnects during the drop were reset");
    }

    [Fact]
    public async Task ServerClose_FailsOverToPollingAndBackToStreaming()
    {
        await using var rig = await SmartApiRig.StartAsync();
        long id = 0;

        var result = await Failover.RunAsync(
            rig,
            () => id = rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.ServerClose) { Duration = Forever, Message = "maintenance" }).Id,
            () => rig.Emulator.Faults.Clear(id),
            TimeSpan.FromSeconds(2));

        output.WriteLine(result.ToString());
        Failover.AssertSimpleStory(result, DisconnectReason.ClosedByServer);
        Failover.AssertIntegrity(rig);
        Assert.Contains("close frame", result.Changes[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stall_FailsOverOnTheMissingPongAndBackToStreaming()
    {
        await using var rig = await SmartApiRig.StartAsync();
        long id = 0;

        var result = await Failover.RunAsync(
            rig,
            () => id = rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.Stall)).Id,
            () => rig.Emulator.Faults.Clear(id),
            TimeSpan.FromSeconds(5));

        output.WriteLine(result.ToString());
        Failover.AssertSimpleStory(result, DisconnectReason.NoPong);
        Failover.AssertIntegrity(rig);
    }

    [Fact]
    public async Task MuteData_FailsOverOnTheHeartbeatThresholdAndBackToStreaming()
    {
        await using var rig = await SmartApiRig.StartAsync();
        long id = 0;

        var result = await Failover.RunAsync(
            rig,
            () => id = rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.MuteData)).Id,
            () => rig.Emulator.Faults.Clear(id),
            TimeSpan.FromSeconds(5));

        output.WriteLine(result.ToString());
        Failover.AssertSimpleStory(result, DisconnectReason.NoData);
        Failover.AssertIntegrity(rig);

        // Pongs kept the connection alive; only the data layer (3 s without a tick) could see it.
        Assert.True(result.ToPolling >= TimeSpan.FromSeconds(2.9), $"failed over after {result.ToPolling}, before the 3 s threshold");
        Assert.True(rig.Emulator.Counters.PacketsMuted > 0);
    }
}
