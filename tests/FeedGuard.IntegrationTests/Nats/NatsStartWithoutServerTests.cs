using FeedGuard.Emulator;
using FeedGuard.IntegrationTests.Contract;
using FeedGuard.IntegrationTests.SmartApi;
using FeedGuard.Testing.Nats;

namespace FeedGuard.IntegrationTests.Nats;

/// <summary>A gateway started while NATS is down serves locally, buffers, and publishes once NATS comes up.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class NatsStartWithoutServerTests
{
    [NatsFact]
    public async Task Start_NatsDown_FeedServesLocallyThenStreamIsCreatedAndBufferPublished()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        await nats.StopAsync();
        var settings = new RigSettings { TicksPerSecond = 20 };
        await using var emulator = await BrokerEmulator.StartAsync(NatsGateway.EmulatorOptionsFor(settings), CancellationToken.None);
        var gateway = await NatsGateway.StartAsync(emulator, settings, NatsGateway.PublisherOptions(nats.Url), "gw");
        try
        {
            await Eventually.UntilAsync(() => gateway.Ticks.Count >= 20, TimeSpan.FromSeconds(20), () => $"local ticks with NATS down; {gateway.Ticks.Count}");
            var down = gateway.Publisher.GetStatus();
            Assert.False(down.Connected);
            Assert.True(down.Buffered > 0, down.ToString());
            Assert.NotNull(down.LastError);

            await nats.StartAgainAsync();
            await Eventually.UntilAsync(
                () => gateway.Publisher.GetStatus() is { Connected: true, Buffered: 0, Pending: 0 },
                TimeSpan.FromSeconds(20),
                () => $"connected and caught up; {gateway.Publisher.GetStatus()}");
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        await using var reader = new RemoteReader(nats.Url, NatsGateway.Instruments(settings.InstrumentCount));
        var local = gateway.Ticks.All();
        await reader.WaitForCountAsync(local.Count, TimeSpan.FromSeconds(15));
        Assert.Equal(local.Select(t => RemoteReader.Describe(t)), reader.Ticks.Select(t => RemoteReader.Describe(t)));
        Assert.Equal(0, gateway.Publisher.GetStatus().Overflowed);
    }
}
