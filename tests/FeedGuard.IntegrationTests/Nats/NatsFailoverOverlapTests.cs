using FeedGuard.Emulator.Faults;
using FeedGuard.IntegrationTests.Contract;
using FeedGuard.IntegrationTests.SmartApi;
using FeedGuard.Testing.Nats;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.Nats;

/// <summary>A stream → poll → stream cycle: the overlap of the tiers must not reach the bus twice.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class NatsFailoverOverlapTests
{
    [NatsFact]
    public async Task StreamPollStream_PutsNoDuplicateOnTheBus()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await using var rig = await BrokerRig.StartAsync(NatsGateway.Broker, new RigSettings { TicksPerSecond = 20 });
        await using var reader = new RemoteReader(nats.Url, NatsGateway.Instruments(3));
        long published;
        await using (var publisher = new FeedGuard.Nats.Publishing.NatsTickPublisher(rig.Feed, NatsGateway.PublisherOptions(nats.Url)))
        {
            await publisher.StartAsync();
            long id = 0;
            await FailoverDrill.RunAsync(
                rig,
                () => id = rig.Inject(new FaultSpec(FaultKind.Drop) { Duration = TimeSpan.FromMinutes(5) }).Id,
                () => rig.Clear(id),
                TimeSpan.FromSeconds(10));
            await rig.WaitStreamingAsync();
            await rig.Feed.StopAsync();
            await Eventually.UntilAsync(() => publisher.GetStatus() is { Buffered: 0, Pending: 0 }, TimeSpan.FromSeconds(10), () => publisher.GetStatus().ToString());
            published = publisher.GetStatus().Published;
        }

        var local = rig.Ticks.All();
        await reader.WaitForCountAsync(local.Count, TimeSpan.FromSeconds(15));
        var remote = reader.Ticks;

        Assert.Contains(remote, t => t.Source == TickSource.Poll);
        Assert.Contains(remote, t => t.Source == TickSource.Stream);
        Assert.Equal(local.Count, published);
        Assert.Equal(local.Select(t => RemoteReader.Describe(t)), remote.Select(t => RemoteReader.Describe(t)));

        // No market update twice: the same data from the other tier within the same exchange second is the overlap.
        foreach (var instrument in remote.GroupBy(t => t.Instrument))
        {
            var ticks = instrument.ToList();
            for (var i = 1; i < ticks.Count; i++)
            {
                var sameUpdate = ticks[i].Source != ticks[i - 1].Source
                    && ticks[i].HasSameMarketDataAs(ticks[i - 1])
                    && Math.Abs(ticks[i].ExchangeTimeUtcTicks - ticks[i - 1].ExchangeTimeUtcTicks) < TimeSpan.TicksPerSecond;
                Assert.False(sameUpdate, $"the same update twice on the bus: {ticks[i - 1]} then {ticks[i]}");
            }
        }
    }
}
