using System.Diagnostics;
using System.Text.Json;
using FeedGuard.Emulator;
using FeedGuard.Emulator.Faults;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Ticks;
using Xunit.Abstractions;

namespace FeedGuard.IntegrationTests.Contract;

/// <summary>
/// What every broker's sources must do, over real loopback sockets against the real emulator, as a
/// user of the feed sees it (CONVENTIONS "Tests": one contract suite every implementation passes).
/// A broker joins with a <see cref="ContractBroker"/> and a derived class in the
/// <see cref="LoopbackCollection"/>; its byte-level and protocol-specific tests live beside it.
/// </summary>
public abstract partial class BrokerContractTests
{
    private static readonly TimeSpan Forever = TimeSpan.FromMinutes(5);

    private protected BrokerContractTests(ContractBroker broker, ITestOutputHelper output)
    {
        Broker = broker;
        Output = output;
    }

    private protected ContractBroker Broker { get; }

    private protected ITestOutputHelper Output { get; }

    private protected Task<BrokerRig> StartRigAsync(RigSettings? settings = null) => BrokerRig.StartAsync(Broker, settings);

    [Fact]
    public async Task Connect_SubscribesEveryInstrumentOnOneSocketAndDecodesWhatTheBrokerSent()
    {
        await using var rig = await StartRigAsync();

        await rig.WaitStreamingAsync();
        Assert.Equal(1, rig.Counters.ConnectionsOpen);
        Assert.Equal(3, rig.Counters.Subscriptions);
        Assert.Equal(0, rig.Counters.RequestErrors);
        Assert.Equal(0, rig.Counters.RestRequestsServed);
        Assert.Collection(rig.Events.ModeChanges(), c => Assert.Equal((FeedState.Connecting, FeedState.Streaming), (c.From, c.To)));

        // Decode: every stream tick carries the price and exchange time of a packet the emulator sent.
        await Eventually.UntilAsync(() => rig.Ticks.Count >= 30, TimeSpan.FromSeconds(5), () => "30 ticks");
        Assert.All(rig.Ticks.All(), t => Assert.True(t.Source == TickSource.Stream && t.Has(TickFields.ExchangeTime) && HasModeFields(t), t.ToString()));
        await FailoverDrill.AssertIntegrityAsync(rig);
        var status = rig.Feed.GetStreamStatus();
        Assert.True(status.ConnectionActive);
        Assert.Equal(0, status.Counters.Malformed);
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task HeartbeatDeadline_ASilentOpenSocketIsCondemnedByTheClientBeforeTheDataThreshold()
    {
        await using var rig = await StartRigAsync();
        long id = 0;

        var result = await FailoverDrill.RunAsync(rig, () => id = rig.Inject(new FaultSpec(FaultKind.Stall)).Id, () => rig.Clear(id), TimeSpan.FromSeconds(5));

        Output.WriteLine(result.ToString());
        FailoverDrill.AssertSimpleStory(result, Broker.StallReason);
        await FailoverDrill.AssertIntegrityAsync(rig);

        // The client's own liveness check, not the feed's 3 s data threshold, saw the silence.
        Assert.True(result.ToPolling < TimeSpan.FromSeconds(3), $"failed over after {result.ToPolling}, no sooner than the data threshold");
    }

    [Fact]
    public async Task Sharding_TwoAndAHalfSocketsWorth_SpreadOverThreeSocketsAllReceiveTicks()
    {
        var count = (Broker.InstrumentsPerSocket * 5) / 2;
        await using var rig = await StartRigAsync(new RigSettings
        {
            InstrumentCount = count,
            TicksPerSecond = 1,
            Mode = FeedMode.Ltp,

            // The sent log is preallocated per instrument; a short one keeps thousands of them small.
            Emulator = o => o with { SentLogCapacity = 16 },

            // Thousands of subscriptions on a loaded machine: room to connect, so a slow start is not a failover.
            Client = new ClientSettings { ConnectTimeout = TimeSpan.FromSeconds(15) },
            Feed = o => o with { ConnectTimeout = TimeSpan.FromSeconds(20) },
        });

        await Eventually.UntilAsync(
            () => rig.Ticks.All().Where(t => t.Source == TickSource.Stream).Select(t => t.Instrument).Distinct().Count() == count && rig.State == FeedState.Streaming,
            TimeSpan.FromSeconds(40),
            () => $"streaming with stream ticks for all {count} instruments; {rig.Ticks.All().Select(t => t.Instrument).Distinct().Count()} so far, state {rig.State}");

        var changes = rig.Events.ModeChanges();
        Assert.True(changes.All(c => c.To == FeedState.Streaming), "never failed over: " + string.Join(" | ", changes.Select(c => c.Describe())));
        Assert.Equal(Broker.Sockets, rig.Counters.ConnectionsOpen);
        Assert.Equal(count, rig.Counters.Subscriptions);
        Assert.Equal(0, rig.Counters.RequestErrors);
        Assert.Equal(0, rig.Counters.HandshakesRejected);
        Assert.All(rig.Feed.Instruments.All, i => Assert.True(Broker.PacketsSent(rig.Emulator, i) > 0, i.Name));
        Assert.Empty(rig.Ticks.Violations);
    }

    [Fact]
    public async Task Sharding_OneInstrumentMoreThanTheBrokerAllows_IsRefusedAtConstructionWithAClearError()
    {
        var capacity = Broker.InstrumentsPerSocket * Broker.Sockets;
        var settings = new RigSettings { InstrumentCount = capacity + 1 };
        var instruments = Broker.Instruments(settings.InstrumentCount);
        await using var emulator = await BrokerEmulator.StartAsync(BrokerRig.EmulatorOptionsFor(Broker, settings, instruments), CancellationToken.None);
        using var http = new HttpClient();
        var sources = Broker.CreateSources(emulator, http, settings.Client, settings.Logging);

        var ex = Assert.Throws<ArgumentException>(() => new MarketFeed(BrokerRig.FeedOptionsFor(Broker, settings, instruments), sources.Streaming, sources.Polling));

        foreach (var words in Broker.TooManyInstrumentsWords.Append($"{capacity + 1} were requested"))
        {
            Assert.Contains(words, ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, emulator.Counters.ConnectionsAccepted + emulator.Counters.HandshakesRejected);
    }

    [Fact]
    public async Task Secrets_FullFaultRun_NoCredentialAppearsInLogsStatusEventsOrExceptions()
    {
        var logs = new CapturingLoggerProvider();
        var seen = new List<string>();
        await using (var rig = await StartRigAsync(new RigSettings { Logging = logs }))
        {
            void Snapshot() => seen.Add(rig.StatusJson);
            Snapshot();

            long id = 0;
            await FailoverDrill.RunAsync(rig, () => id = rig.Inject(new FaultSpec(FaultKind.Drop) { Duration = Forever }).Id, () => rig.Clear(id), TimeSpan.FromSeconds(5));
            Snapshot();
            await FailoverDrill.RunAsync(rig, () => id = rig.Inject(new FaultSpec(FaultKind.Malformed)).Id, () => rig.Clear(id), TimeSpan.FromSeconds(5));
            Snapshot();

            // Stream and REST rate limited, then REST failing, while the stream is down.
            var drop = rig.Inject(new FaultSpec(FaultKind.Drop) { Duration = Forever });
            var limit = rig.Inject(new FaultSpec(FaultKind.RateLimit));
            await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().LastError?.Reason == DisconnectReason.RateLimited, TimeSpan.FromSeconds(5), () => rig.StatusJson);
            Snapshot();
            rig.Clear(limit.Id);
            var restError = rig.Inject(new FaultSpec(FaultKind.RestError));
            await Eventually.UntilAsync(() => rig.Feed.GetStreamStatus().LastError?.Message.Contains("HTTP 500", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(5), () => rig.StatusJson);
            Snapshot();
            rig.Clear(restError.Id);
            rig.Clear(drop.Id);

            // Finally the credentials are refused, on the handshake and on REST.
            rig.Inject(new FaultSpec(FaultKind.AuthReject) { Message = Broker.AuthRejectMessage });
            rig.Inject(new FaultSpec(FaultKind.Drop));

            // Blocked on the credentials, not merely in error: polls still in flight from the REST fault can put
            // the feed in error first, and a credentials change before the refusal lands has nothing to unblock.
            await Eventually.UntilAsync(() => rig.State == FeedState.Error && rig.Feed.GetStreamStatus().AuthBlocked, TimeSpan.FromSeconds(10), () => rig.StatusJson);
            Snapshot();

            // The host says the credentials changed: the stream's handshake is refused too.
            var rejected = rig.Counters.HandshakesRejected;
            rig.Feed.NotifyCredentialsChanged();
            await Eventually.UntilAsync(() => rig.Counters.HandshakesRejected > rejected && rig.State == FeedState.Error, TimeSpan.FromSeconds(10), () => rig.StatusJson);
            Snapshot();

            foreach (var e in rig.Feed.GetRecentEvents().Concat(rig.Events.All()))
            {
                seen.Add(e.Describe());
                seen.Add(JsonSerializer.Serialize(e, e.GetType()));
            }

            seen.Add(rig.Sources.ClientOptions.ToString()!);
            seen.Add(rig.Sources.Credentials.ToString()!);
            seen.Add(JsonSerializer.Serialize(rig.Sources.ClientOptions, rig.Sources.ClientOptions.GetType()));
            seen.Add(JsonSerializer.Serialize(rig.Sources.Credentials, rig.Sources.Credentials.GetType()));
        }

        seen.AddRange(logs.Lines);

        // The capture saw the run: connects, failovers, the rejection (a test that cannot fail is a defect).
        Assert.Contains(logs.Lines, l => l.Contains($"[{Broker.LogEvents.Connecting}]", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains($"[{Broker.LogEvents.HandshakeRejected}]", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.Contains("auth_rejected", StringComparison.OrdinalIgnoreCase) || s.Contains("AuthRejected", StringComparison.Ordinal));
        foreach (var secret in Broker.Secrets)
        {
            var leaks = seen.Where(s => s.Contains(secret, StringComparison.Ordinal)).Take(3).ToList();
            Assert.True(leaks.Count == 0, $"'{secret}' appeared in:{Environment.NewLine}{string.Join(Environment.NewLine, leaks)}");
        }
    }

    /// <summary>Ltp carries no day totals; quote and full modes carry volume and OHLC.</summary>
    private bool HasModeFields(in Tick tick) =>
        Broker.Mode == FeedMode.Ltp ? !tick.Has(TickFields.Volume) : tick.Has(TickFields.Volume) && tick.Has(TickFields.Ohlc);
}
