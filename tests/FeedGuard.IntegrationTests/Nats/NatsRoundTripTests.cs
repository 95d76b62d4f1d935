using FeedGuard.Emulator;
using FeedGuard.IntegrationTests.Contract;
using FeedGuard.IntegrationTests.SmartApi;
using FeedGuard.Testing.Nats;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.Nats;

/// <summary>Emulator → gateway → JetStream → consumer on another "machine": the same ticks, once each, in order.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class NatsRoundTripTests
{
    [NatsFact]
    public async Task Consumer_ReadsEveryTickTheGatewayDelivered_OnceInOrderWithIdenticalValues()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        var settings = new RigSettings { Mode = FeedMode.Quote, TicksPerSecond = 20 };
        await using var emulator = await BrokerEmulator.StartAsync(NatsGateway.EmulatorOptionsFor(settings), CancellationToken.None);
        var gateway = await NatsGateway.StartAsync(emulator, settings, NatsGateway.PublisherOptions(nats.Url), "gw");
        await using var reader = new RemoteReader(nats.Url, NatsGateway.Instruments(settings.InstrumentCount));
        try
        {
            await Eventually.UntilAsync(() => gateway.Ticks.Count >= 60, TimeSpan.FromSeconds(20), () => $"60 local ticks; have {gateway.Ticks.Count}");
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        var local = gateway.Ticks.All();
        await reader.WaitForCountAsync(local.Count, TimeSpan.FromSeconds(15));
        var remote = reader.Ticks;

        Assert.Equal(local.Count, remote.Count);
        Assert.Equal(local.Select(t => RemoteReader.Describe(t)), remote.Select(t => RemoteReader.Describe(t)));
        Assert.All(remote, t => Assert.Same(reader.Consumer.Instruments.All.Single(i => i.Key == t.Instrument.Key), t.Instrument));
        Assert.Contains(remote, t => t.Has(TickFields.Volume | TickFields.Ohlc));
        var status = gateway.Publisher.GetStatus();
        Assert.Equal(local.Count, status.Published);
        Assert.Equal(0, status.Overflowed);
        Assert.Equal(0, status.Buffered + status.Pending);
    }
}
