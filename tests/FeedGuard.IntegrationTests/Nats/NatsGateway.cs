using System.Net.Http;
using FeedGuard.Buffers;
using FeedGuard.Emulator;
using FeedGuard.Instruments;
using FeedGuard.IntegrationTests.Contract;
using FeedGuard.IntegrationTests.SmartApi;
using FeedGuard.Nats.Connection;
using FeedGuard.Nats.Publishing;

namespace FeedGuard.IntegrationTests.Nats;

/// <summary>
/// One gateway in-process: a real <see cref="MarketFeed"/> on the SmartAPI sources (the contract suite's <see cref="BrokerRig"/> build) against a shared
/// emulator, a lossless local recorder, and a <see cref="NatsTickPublisher"/> to a real nats-server.
/// Two of these on one emulator are two redundant gateways (in one process; each has its own
/// sockets, feed, publisher and NATS connection).
/// </summary>
internal sealed class NatsGateway : IAsyncDisposable
{
    private readonly HttpClient _http;
    private int _stopped;

    private NatsGateway(MarketFeed feed, TickRecorder ticks, NatsTickPublisher publisher, HttpClient http)
    {
        Feed = feed;
        Ticks = ticks;
        Publisher = publisher;
        _http = http;
    }

    public MarketFeed Feed { get; }

    public TickRecorder Ticks { get; }

    public NatsTickPublisher Publisher { get; }

    /// <summary>The broker every NATS test gateway speaks: the SmartAPI client against the emulator.</summary>
    public static readonly SmartApiBroker Broker = new();

    public static IReadOnlyList<InstrumentKey> Instruments(int count) => Broker.Instruments(count);

    public static EmulatorOptions EmulatorOptionsFor(RigSettings settings) =>
        BrokerRig.EmulatorOptionsFor(Broker, settings, Instruments(settings.InstrumentCount));

    public static NatsPublisherOptions PublisherOptions(Uri nats) => new()
    {
        Connection = new NatsConnectionSettings { Url = nats },
        Stream = "IT_TICKS",
        AckTimeout = TimeSpan.FromSeconds(2),
    };

    public static async Task<NatsGateway> StartAsync(BrokerEmulator emulator, RigSettings settings, NatsPublisherOptions publisherOptions, string name)
    {
        var (feed, http, _) = BrokerRig.BuildFeed(Broker, emulator, settings, name);
        var ticks = new TickRecorder(feed.Subscribe(new SubscriptionOptions { Name = "recorder", Policy = BufferPolicy.Wait, Capacity = 100_000 }));
        var publisher = new NatsTickPublisher(feed, publisherOptions, TimeProvider.System, settings.Logging);
        await publisher.StartAsync();
        await feed.StartAsync();
        return new NatsGateway(feed, ticks, publisher, http);
    }

    /// <summary>Stops the feed, then the publisher (which publishes what it still holds).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await Feed.DisposeAsync();
        await Publisher.DisposeAsync();
        await Ticks.DisposeAsync();
        _http.Dispose();
    }
}
