using FeedGuard.Emulator.Faults;
using FeedGuard.Failover;
using FeedGuard.Sources;
using Xunit.Abstractions;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>Malformed and truncated packets over a real socket: counted, skipped, and fatal only when most frames are bad.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class SmartApiBadDataTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Malformed_AtAHighRate_FailsOverAndCountsEveryBadPacket()
    {
        await using var rig = await SmartApiRig.StartAsync();
        long id = 0;

        var result = await Failover.RunAsync(
            rig,
            () => id = rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.Malformed) { Rate = 0.9 }).Id,
            () => rig.Emulator.Faults.Clear(id),
            TimeSpan.FromSeconds(5));

        output.WriteLine(result.ToString());
        Failover.AssertSimpleStory(result, DisconnectReason.MalformedStream);
        Failover.AssertIntegrity(rig);
        var malformed = rig.Feed.GetStreamStatus().Counters.Malformed;
        Assert.InRange(malformed, 15, rig.Emulator.Counters.MalformedSent);
    }

    [Fact]
    public async Task Malformed_AtALowRate_IsCountedAndSkippedWhileStreamingContinues()
    {
        await using var rig = await SmartApiRig.StartAsync();
        await rig.WaitStreamingAsync();
        var before = rig.Ticks.Count;

        var fault = rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.Malformed) { Rate = 0.1 });
        await Eventually.AlwaysAsync(() => rig.State == FeedState.Streaming, TimeSpan.FromSeconds(2.5), () => "streaming; status " + rig.StatusJson);
        rig.Emulator.Faults.Clear(fault.Id);

        var sent = rig.Emulator.Counters.MalformedSent;
        await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().Counters.Malformed == sent, TimeSpan.FromSeconds(2), () => $"{sent} malformed counted; status {rig.StatusJson}");
        Assert.True(sent > 0);
        Assert.DoesNotContain(rig.Events.ModeChanges(), c => c.To != FeedState.Streaming);
        Assert.True(rig.Ticks.Count > before + 30, "good packets kept arriving");
        Failover.AssertIntegrity(rig);
    }

    [Fact]
    public async Task Truncated_FailsOverAndCountsEveryCutPacket()
    {
        await using var rig = await SmartApiRig.StartAsync();
        long id = 0;

        var result = await Failover.RunAsync(
            rig,
            () => id = rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.Truncated) { Rate = 1.0 }).Id,
            () => rig.Emulator.Faults.Clear(id),
            TimeSpan.FromSeconds(5));

        output.WriteLine(result.ToString());
        Failover.AssertSimpleStory(result, DisconnectReason.MalformedStream);
        Failover.AssertIntegrity(rig);
        Assert.InRange(rig.Feed.GetStreamStatus().Counters.Malformed, 15, rig.Emulator.Counters.TruncatedSent);
    }
}
