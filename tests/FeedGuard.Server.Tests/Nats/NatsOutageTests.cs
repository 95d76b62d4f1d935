using System.Text.Json.Nodes;
using FeedGuard.Buffers;
using FeedGuard.Hosting;
using FeedGuard.Nats.Connection;
using FeedGuard.Nats.Consuming;
using FeedGuard.Testing.Nats;
using FeedGuard.Ticks;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace FeedGuard.Server.Tests.Nats;

/// <summary>
/// The real gateway (demo mode, configured as <c>feedguard run --nats</c> would) while nats-server
/// is killed and started again on the same port and store.
/// </summary>
public sealed class NatsOutageTests
{
    private const int BufferCapacity = 25;

    /// <summary>The feedguard check's verdict and NATS data (the feed itself may poll on a loaded machine: Degraded for another reason).</summary>
    private static (string Status, string Description, bool Connected) NatsHealth((int Code, System.Text.Json.JsonDocument Body) health)
    {
        var check = health.Body.RootElement.GetProperty("checks").GetProperty("feedguard");
        return (check.GetProperty("status").GetString()!, check.GetProperty("description").GetString() ?? "", check.GetProperty("data").GetProperty("nats_connected").GetBoolean());
    }

    [NatsFact]
    public async Task NatsDown_GatewayServesLocallyReportsDegradedThenRepublishesBufferAndCountsOverflow()
    {
        await using var nats = await NatsServerProcess.StartAsync();
        var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>
        {
            ["FeedGuard:Nats:Url"] = nats.Url.ToString(),
            ["FeedGuard:Nats:Stream"] = "OUTAGE",
            ["FeedGuard:Nats:BufferCapacity"] = BufferCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FeedGuard:Nats:AckTimeout"] = "00:00:01",
            ["FeedGuard:Emulator:TicksPerSecond"] = "20",
        });
        var local = new List<Tick>();
        Task recording;
        var host = gateway.App.Services.GetRequiredService<FeedGuardGateway>();
        var publisher = host.Publisher!;
        DateTimeOffset down, up; // up: the publisher is connected again and its buffer empty
        try
        {
            var subscription = host.Feed!.Subscribe(new SubscriptionOptions { Name = "local", Policy = BufferPolicy.Wait, Capacity = 100_000 });
            recording = Task.Run(async () =>
            {
                await foreach (var tick in subscription)
                {
                    lock (local)
                    {
                        local.Add(tick);
                    }
                }
            });
            int LocalCount()
            {
                lock (local)
                {
                    return local.Count;
                }
            }

            await Eventually.TrueAsync(() => Task.FromResult(publisher.GetStatus().Published >= 20), TimeSpan.FromSeconds(20), () => $"publishing; {publisher.GetStatus()}");
            Assert.True(NatsHealth(await gateway.HealthAsync()).Connected);

            down = DateTimeOffset.UtcNow;
            await nats.StopAsync();
            JsonObject? status = null;
            await Eventually.TrueAsync(
                async () => (status = await gateway.StatusAsync())["nats"]?["connected"]?.GetValue<bool>() == false,
                TimeSpan.FromSeconds(10),
                () => $"/api/status says NATS is disconnected; {status?["nats"]?.ToJsonString()}");
            var health = NatsHealth(await gateway.HealthAsync());
            Assert.False(health.Connected);
            Assert.NotEqual("Healthy", health.Status);
            Assert.Contains("NATS publisher disconnected", health.Description, StringComparison.Ordinal);

            // In-process consumers keep getting ticks, and the buffer overflows its bound, counted.
            var duringOutage = LocalCount();
            await Eventually.TrueAsync(
                () => Task.FromResult(LocalCount() >= duringOutage + (2 * BufferCapacity) && publisher.GetStatus().Overflowed > 0),
                TimeSpan.FromSeconds(20),
                () => $"local ticks while NATS is down ({LocalCount() - duringOutage}) and overflow counted; {publisher.GetStatus()}");
            Assert.NotEqual("error", (string?)(await gateway.StatusAsync())["status"]);
            Assert.True((await gateway.StatusAsync())["nats"]!["overflowed"]!.GetValue<long>() > 0);

            await nats.StartAgainAsync();
            await Eventually.TrueAsync(
                () => Task.FromResult(publisher.GetStatus() is { Connected: true, Buffered: 0, Pending: 0 }),
                TimeSpan.FromSeconds(20),
                () => $"reconnected and republished; {publisher.GetStatus()}");
            up = DateTimeOffset.UtcNow;
            health = NatsHealth(await gateway.HealthAsync());
            Assert.True(health.Connected);
            Assert.DoesNotContain("NATS", health.Description, StringComparison.Ordinal);
            var metrics = await gateway.Http.GetStringAsync("metrics");
            Assert.Contains("feedguard_nats_overflowed", metrics, StringComparison.Ordinal);
            Assert.Contains("feedguard_nats_connected", metrics, StringComparison.Ordinal);
        }
        finally
        {
            await gateway.DisposeAsync();
        }

        await recording;
        var overflowed = publisher.GetStatus().Overflowed;
        var instruments = host.Feed!.Instruments.All.Select(i => i.Key).ToList();

        // Every tick served locally is on the bus once, or counted as overflowed: nothing silently lost.
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = nats.Url.ToString() });
        var stored = (await new NatsJSContext(connection).GetStreamAsync("OUTAGE")).Info.State.Messages;
        Assert.Equal(local.Count - overflowed, (long)stored);

        await using var consumer = new NatsTickConsumer(new NatsConsumerOptions { Connection = new NatsConnectionSettings { Url = nats.Url }, Stream = "OUTAGE", Instruments = instruments });
        var remote = new List<Tick>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var tick in consumer.ReadAsync(timeout.Token))
        {
            remote.Add(tick);
            if (remote.Count == (int)stored)
            {
                break;
            }
        }

        static (string, long, long?, long) Key(Tick t) => (t.Instrument.Name, t.ReceiveTimeUtcTicks, t.Sequence, t.LastPriceUnits);
        var localKeys = local.Select(Key).ToHashSet();
        Assert.All(remote, t => Assert.Contains(Key(t), localKeys));
        Assert.Equal(remote.Count, remote.Select(Key).Distinct().Count());

        // The whole buffer (the newest ticks received while NATS was down) was published when it came back.
        var republished = remote.Count(t => t.ReceiveTime > down && t.ReceiveTime < up);
        Assert.True(republished >= BufferCapacity, $"republished {republished}; overflowed {overflowed}; local {local.Count}; stored {stored}; down {down:O} up {up:O}; local in window {local.Count(t => t.ReceiveTime > down && t.ReceiveTime < up)}; last remote {string.Join(", ", remote.TakeLast(5).Select(t => t.ReceiveTime.ToString("O")))}");
    }
}
