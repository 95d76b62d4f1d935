using FeedGuard.Emulator;
using FeedGuard.IntegrationTests.Contract;
using FeedGuard.IntegrationTests.SmartApi;
using FeedGuard.Testing.Nats;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.Nats;

/// <summary>
/// Two gateways (two feeds with their own sockets and NATS connections, in this process) publish
/// the same instruments from one emulator into one stream; one stops mid-run.
/// </summary>
[Collection(LoopbackCollection.Name)]
public sealed class NatsRedundancyTests
{
    [NatsFact]
    public async Task TwoGateways_OneStoppedMidRun_ConsumerSeesEveryEmulatorTickExactlyOnce()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        var settings = new RigSettings { TicksPerSecond = 20 };
        await using var emulator = await BrokerEmulator.StartAsync(NatsGateway.EmulatorOptionsFor(settings), CancellationToken.None);
        var options = NatsGateway.PublisherOptions(nats.Url);
        var a = await NatsGateway.StartAsync(emulator, settings, options, "gw-a");
        var b = await NatsGateway.StartAsync(emulator, settings, options, "gw-b");
        await using var reader = new RemoteReader(nats.Url, NatsGateway.Instruments(settings.InstrumentCount));
        long duplicates;
        try
        {
            // Both publish: JetStream reports the second copy of each tick as a duplicate.
            await Eventually.UntilAsync(
                () => a.Publisher.GetStatus().Duplicates + b.Publisher.GetStatus().Duplicates >= 30,
                TimeSpan.FromSeconds(20),
                () => $"duplicates dropped by JetStream; a {a.Publisher.GetStatus()}, b {b.Publisher.GetStatus()}");

            await a.DisposeAsync();

            // Whichever gateway is second to a tick gets the duplicate answer; which one varies.
            duplicates = a.Publisher.GetStatus().Duplicates + b.Publisher.GetStatus().Duplicates;
            var afterStop = b.Ticks.Count;
            await Eventually.UntilAsync(() => b.Ticks.Count >= afterStop + 40, TimeSpan.FromSeconds(20), () => $"gateway b keeps publishing; {b.Ticks.Count} local ticks");
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }

        // What the emulator sent to either gateway, by (token, sequence): a tick is the broker's packet.
        var sent = NatsGateway.Instruments(settings.InstrumentCount)
            .SelectMany(i => emulator.GetSentTicks(1, i.Token).Select(s => (s.Token, s.Sequence)))
            .ToHashSet();
        await reader.WaitForCountAsync(sent.Count, TimeSpan.FromSeconds(15));
        var remote = reader.Ticks;
        var keys = remote.Select(t => (t.Instrument.Token, t.Sequence.GetValueOrDefault())).ToList();

        Assert.True(duplicates >= 30, "JetStream reported too few duplicates: the test did not exercise de-duplication");
        Assert.All(remote, t => Assert.Equal(TickSource.Stream, t.Source));
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Empty(sent.Except(keys));
        Assert.Empty(keys.Except(sent));
        foreach (var instrument in remote.GroupBy(t => t.Instrument))
        {
            var sequences = instrument.Select(t => t.Sequence.GetValueOrDefault()).ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
    }
}
