using FeedGuard.Failover;
using FeedGuard.SmartApi;
using FeedGuard.SmartApi.Polling;
using FeedGuard.SmartApi.Streaming;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>SmartStream's limits, 1000 subscriptions per socket and 3 sockets per client code, against the emulator enforcing them.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class SmartApiShardingTests
{
    [Fact]
    public async Task TwoThousandFiveHundredInstruments_SpreadOverThreeSockets_AllReceiveTicks()
    {
        await using var rig = await SmartApiRig.StartAsync(new RigSettings
        {
            InstrumentCount = 2500,
            TicksPerSecond = 1,

            // The sent log is preallocated per instrument; a short one keeps 2,500 of them small.
            Emulator = o => o with { SentLogCapacity = 16 },
        });

        await Eventually.UntilAsync(
            () => rig.Ticks.All().Where(t => t.Source == TickSource.Stream).Select(t => t.Instrument).Distinct().Count() == 2500,
            TimeSpan.FromSeconds(20),
            () => $"stream ticks for all 2,500 instruments; {rig.Ticks.All().Select(t => t.Instrument).Distinct().Count()} so far, state {rig.State}");

        var counters = rig.Emulator.Counters;
        Assert.Equal(FeedState.Streaming, rig.State);
        Assert.Equal(3, counters.ConnectionsOpen);
        Assert.Equal(2500, counters.Subscriptions);
        Assert.Equal(0, counters.RequestErrors);
        Assert.Equal(0, counters.HandshakesRejected);
        Assert.All(rig.Feed.Instruments.All, i => Assert.True(rig.Emulator.GetPacketsSent(1, i.Token) > 0, i.Name));
        Assert.Empty(rig.Ticks.Violations);
    }

    [Fact]
    public async Task ThreeThousandOneInstruments_AreRefusedAtConstructionWithAClearError()
    {
        var settings = new RigSettings { InstrumentCount = 3001 };
        await using var emulator = await FeedGuard.Emulator.BrokerEmulator.StartAsync(SmartApiRig.EmulatorOptionsFor(settings), CancellationToken.None);
        var client = SmartApiRig.ClientOptionsFor(emulator, settings);
        using var http = new HttpClient();

        var ex = Assert.Throws<ArgumentException>(() => new MarketFeed(
            SmartApiRig.FeedOptionsFor(settings),
            new SmartApiStreamingSource(client),
            new SmartApiPollingSource(client, http)));

        Assert.Contains("at most 3000 instruments per client code", ex.Message, StringComparison.Ordinal);
        Assert.Contains("3001 were requested", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FeedGuard:SmartApi:MaxSockets", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, emulator.Counters.ConnectionsAccepted + emulator.Counters.HandshakesRejected);
    }
}
