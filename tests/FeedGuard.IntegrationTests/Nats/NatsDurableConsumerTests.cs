using FeedGuard.Emulator;
using FeedGuard.IntegrationTests.Contract;
using FeedGuard.IntegrationTests.SmartApi;
using FeedGuard.Nats.Connection;
using FeedGuard.Nats.Consuming;
using FeedGuard.Testing.Nats;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.Nats;

/// <summary>A strategy with a durable consumer stops and starts again: it resumes after the last tick it took.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class NatsDurableConsumerTests
{
    [NatsFact]
    public async Task DurableConsumer_Restarted_ResumesAfterTheLastTickItRead()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        var settings = new RigSettings { TicksPerSecond = 20 };
        await using var emulator = await BrokerEmulator.StartAsync(NatsGateway.EmulatorOptionsFor(settings), CancellationToken.None);
        var gateway = await NatsGateway.StartAsync(emulator, settings, NatsGateway.PublisherOptions(nats.Url), "gw");
        List<Tick> firstRun, secondRun;
        try
        {
            await Eventually.UntilAsync(() => gateway.Publisher.GetStatus().Published >= 40, TimeSpan.FromSeconds(20), () => $"40 ticks on the bus; {gateway.Publisher.GetStatus()}");
            firstRun = await ReadAsync(nats.Url, 15);
            secondRun = await ReadAsync(nats.Url, 15);
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        var local = gateway.Ticks.All().Select(t => RemoteReader.Describe(t)).ToList();
        Assert.Equal(local.Take(15), firstRun.Select(t => RemoteReader.Describe(t)));
        Assert.Equal(local.Skip(15).Take(15), secondRun.Select(t => RemoteReader.Describe(t)));
    }

    /// <summary>One run of the strategy: a fresh connection, the same durable name, <paramref name="count"/> ticks, then it stops.</summary>
    private static async Task<List<Tick>> ReadAsync(Uri nats, int count)
    {
        await using var consumer = new NatsTickConsumer(new NatsConsumerOptions
        {
            Connection = new NatsConnectionSettings { Url = nats },
            Stream = "IT_TICKS",
            Instruments = NatsGateway.Instruments(3),
            DurableName = "strategy-1",
        });
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var ticks = new List<Tick>();
        await foreach (var tick in consumer.ReadAsync(bound.Token))
        {
            ticks.Add(tick);
            if (ticks.Count == count)
            {
                break;
            }
        }

        return ticks;
    }
}
