using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.IntegrationTests.Contract;
using FeedGuard.Sources;

namespace FeedGuard.IntegrationTests.Kite;

/// <summary>
/// Kite's text frames over a real socket: broker errors reach the events and the instruments' status,
/// alerts and order postbacks are passed on as events, and none of them disturbs the stream.
/// </summary>
[Collection(LoopbackCollection.Name)]
public sealed class KiteTickerTextTests
{
    [Fact]
    public async Task ErrorText_ReachesEventsAndEveryInstrumentsStatus_WhileStreamingContinues()
    {
        await using var rig = await BrokerRig.StartAsync(new KiteBroker());
        await rig.WaitStreamingAsync();

        Assert.Equal(1, rig.Emulator.SendKiteError("Invalid access token for this instrument set"));

        await Eventually.UntilAsync(
            () => rig.Events.All().OfType<SourceMessageEvent>().Any(e => e.Kind == SourceMessageKind.Error),
            TimeSpan.FromSeconds(5),
            () => "the error event");
        var error = rig.Events.All().OfType<SourceMessageEvent>().Single(e => e.Kind == SourceMessageKind.Error);
        Assert.Contains("Kite ticker error: Invalid access token for this instrument set", error.Message, StringComparison.Ordinal);
        Assert.Equal(rig.Feed.Instruments.All, error.Instruments);
        await Eventually.UntilAsync(
            () => rig.Feed.GetStreamStatus().Instruments.All(i => i.SourceError?.Contains("Invalid access token", StringComparison.Ordinal) == true),
            TimeSpan.FromSeconds(2),
            () => "the error on every instrument's row; status " + rig.StatusJson);
        await AssertStillStreamingAsync(rig);
    }

    [Fact]
    public async Task OrderPostbackAndAlert_ArePassedOnAsEvents_WhileStreamingContinues()
    {
        await using var rig = await BrokerRig.StartAsync(new KiteBroker());
        await rig.WaitStreamingAsync();

        rig.Emulator.SendKiteOrderUpdate("""{"order_id":"220303000308932","status":"COMPLETE","tradingsymbol":"INFY","exchange":"NSE","filled_quantity":1}""");
        rig.Emulator.SendKiteMessage("Markets will close early today");

        await Eventually.UntilAsync(
            () => rig.Events.All().OfType<SourceMessageEvent>().Count() >= 2,
            TimeSpan.FromSeconds(5),
            () => "both events; events " + string.Join(" | ", rig.Events.All().Select(e => e.Describe())));
        var messages = rig.Events.All().OfType<SourceMessageEvent>().ToList();
        var order = Assert.Single(messages, m => m.Kind == SourceMessageKind.OrderUpdate);
        Assert.Contains("220303000308932", order.Message, StringComparison.Ordinal);
        Assert.Contains("COMPLETE", order.Message, StringComparison.Ordinal);
        var notice = Assert.Single(messages, m => m.Kind == SourceMessageKind.Notice);
        Assert.Contains("Markets will close early today", notice.Message, StringComparison.Ordinal);
        Assert.All(rig.Feed.GetStreamStatus().Instruments, i => Assert.Null(i.SourceError));
        await AssertStillStreamingAsync(rig);
    }

    private static async Task AssertStillStreamingAsync(BrokerRig rig)
    {
        var before = rig.Ticks.Count;
        await Eventually.UntilAsync(() => rig.Ticks.Count > before + 10, TimeSpan.FromSeconds(5), () => "ticks after the text frames");
        Assert.Equal(FeedState.Streaming, rig.State);
        Assert.Equal(0, rig.Feed.GetStreamStatus().Counters.Malformed);
        Assert.Collection(rig.Events.ModeChanges(), c => Assert.Equal(FeedState.Streaming, c.To));
        await FailoverDrill.AssertIntegrityAsync(rig);
    }
}
