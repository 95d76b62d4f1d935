using System.Diagnostics.Metrics;
using System.Text.Json;
using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Instruments;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace FeedGuard.Tests.Status;

public sealed class MarketFeedStatusTests
{
    [Fact]
    public async Task GetStreamStatus_Json_KeepsSeedFieldNamesFirst()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 100.05m, h.Now));
        h.Advance(2);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(h.Feed.GetStreamStatus()));
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(["mode", "status", "last_tick_age", "reconnect_attempts", "connection_active"], names.Take(5));
        Assert.Contains("since", names);
        Assert.Contains("last_error", names);
        Assert.Contains("next_reconnect_at", names);
        var root = json.RootElement;
        Assert.Equal("streaming", root.GetProperty("mode").GetString());
        Assert.Equal("streaming", root.GetProperty("status").GetString());
        Assert.Equal(2.0, root.GetProperty("last_tick_age").GetDouble());
        Assert.True(root.GetProperty("connection_active").GetBoolean());
        var sbin = root.GetProperty("instruments")[0];
        Assert.Equal("NSE:3045", sbin.GetProperty("instrument").GetString());
        Assert.Equal(100.05m, sbin.GetProperty("last_price").GetDecimal());
        Assert.Equal("stream", sbin.GetProperty("source").GetString());
    }

    [Fact]
    public async Task GetStreamStatus_AfterFailure_ShowsReasonClassAndMessage()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.Current.Drop(DisconnectReason.NoPong, "no pong within 10 s");

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(h.Feed.GetStreamStatus()));

        Assert.Equal("polling", json.RootElement.GetProperty("mode").GetString());
        var error = json.RootElement.GetProperty("last_error");
        Assert.Equal("no_pong", error.GetProperty("reason").GetString());
        Assert.Equal("no pong within 10 s", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task GetStreamStatus_StatusReason_KeepsTheCauseWhileLaterFailuresUpdateLastError()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.DefaultOutcome = ConnectOutcome.Fail(DisconnectReason.NetworkError, "connection refused");
        h.Stream.Current.Drop(DisconnectReason.NoPong, "no pong within 10 s");
        h.Advance(1);

        var status = h.Feed.GetStreamStatus();

        Assert.Equal((DisconnectReason.NoPong, "no pong within 10 s"), (status.StatusReason!.Reason, status.StatusReason.Message));
        Assert.Equal((DisconnectReason.NetworkError, "connection refused"), (status.LastError!.Reason, status.LastError.Message));
    }

    [Fact]
    public async Task SourceMessage_ReachesEventsAndInstrumentStatus()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();

        h.Stream.Current.Message(SourceMessageKind.Error, "E1002 Invalid Request. Subscription Limit Exceeded.", h.RelianceInstrument);

        var message = Assert.Single(h.Events.OfType<SourceMessageEvent>());
        Assert.Equal(SourceMessageKind.Error, message.Kind);
        Assert.Equal([h.RelianceInstrument], message.Instruments);
        var reliance = h.Feed.GetStreamStatus().Instruments.Single(i => i.Instrument == "NSE:2885");
        Assert.Equal("E1002 Invalid Request. Subscription Limit Exceeded.", reliance.SourceError);
    }

    [Fact]
    public async Task Events_AreNumberedInOrder_AndRecentHistoryIsBounded()
    {
        await using var h = new FeedHarness(o => o with { EventHistory = 4 });
        await h.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            h.Stream.Current.Drop(DisconnectReason.NetworkError);
            h.Advance(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(1));
        }

        var all = h.Events;
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(x => x.Sequence));
        var recent = h.Feed.GetRecentEvents();
        Assert.Equal(4, recent.Count);
        Assert.Equal(all.TakeLast(4).Select(x => x.Sequence), recent.Select(x => x.Sequence));
    }

    [Fact]
    public async Task Metrics_ObserveTicksBySourceModeAndDrops()
    {
        using var meters = new TestMeterFactory();
        await using var h = new FeedHarness(meterFactory: meters);
        using var received = new MetricCollector<long>(meters, "FeedGuard", "feedguard.ticks.received");
        using var duplicates = new MetricCollector<long>(meters, "FeedGuard", "feedguard.ticks.duplicates_dropped");
        using var mode = new MetricCollector<int>(meters, "FeedGuard", "feedguard.mode");
        await h.StartAsync();
        var tick = TickBuilder.Stream(h.SbinInstrument, 100m, h.Now);
        await h.Stream.Current.EmitAsync(tick, tick);
        h.Stream.Current.Drop(DisconnectReason.NetworkError);

        received.RecordObservableInstruments();
        duplicates.RecordObservableInstruments();
        mode.RecordObservableInstruments();

        Assert.Contains(received.GetMeasurementSnapshot(), m => m.Value == 2 && Equals(m.Tags["source"], "stream"));
        Assert.Contains(duplicates.GetMeasurementSnapshot(), m => m.Value == 1);
        Assert.Equal(2, mode.LastMeasurement!.Value); // polling
    }

    [Fact]
    public void Constructor_SourceRejectsConfiguration_ThrowsNamingTheProblem()
    {
        var options = new MarketFeedOptions { Instruments = [InstrumentKey.Parse("NSE:3045")] };

        var error = Assert.Throws<ArgumentException>(() => new MarketFeed(options, new RefusingSource()));

        Assert.Contains("over the broker's limit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_BadOptions_ThrowsNamingEveryKey()
    {
        var options = new MarketFeedOptions { Instruments = [], HeartbeatThreshold = TimeSpan.Zero, PollFailureThreshold = 0 };

        var error = Assert.Throws<ArgumentException>(() => new MarketFeed(options, new ScriptedStreamingSource()));

        Assert.Contains("Instruments", error.Message, StringComparison.Ordinal);
        Assert.Contains("HeartbeatThreshold", error.Message, StringComparison.Ordinal);
        Assert.Contains("PollFailureThreshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_Twice_Throws()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Feed.StartAsync());
    }

    [Fact]
    public async Task LatestAndRecentTicks_AreKeptPerInstrument()
    {
        await using var h = new FeedHarness(o => o with { RecentTicksPerInstrument = 3 });
        await h.StartAsync();
        for (var i = 1; i <= 5; i++)
        {
            h.Advance(0.1);
            await h.Stream.Current.EmitAsync(TickBuilder.Stream(h.SbinInstrument, 100m + i, h.Now));
        }

        Assert.True(h.Feed.TryGetLatest(FeedHarness.Sbin, out var latest));
        Assert.Equal(105m, latest.LastPrice);
        Assert.Equal([103m, 104m, 105m], h.Feed.GetRecentTicks(FeedHarness.Sbin).Select(t => t.LastPrice));
        Assert.False(h.Feed.TryGetLatest(FeedHarness.Reliance, out _));
        Assert.Throws<ArgumentException>(() => h.Feed.GetRecentTicks(InstrumentKey.Parse("BSE:500325")));
    }

    [Fact]
    public async Task Events_SerialiseWithTypeAndInstrumentNames()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        h.Stream.Current.Message(SourceMessageKind.Error, "E1002", h.RelianceInstrument);
        h.Stream.Current.Drop(DisconnectReason.NoPong, "no pong");

        var json = h.Events.Select(e => JsonDocument.Parse(JsonSerializer.Serialize(e)).RootElement).ToList();

        Assert.Equal(["mode_changed", "source_message", "mode_changed", "reconnect_attempt"], json.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("NSE:2885", json[1].GetProperty("Instruments")[0].GetString());
        Assert.Equal("no_pong", json[2].GetProperty("Reason").GetString());
        Assert.False(string.IsNullOrEmpty(json[2].GetProperty("Description").GetString()));
    }

    private sealed class RefusingSource : IStreamingSource
    {
        public string Name => "refusing";

        public ValueTask<IStreamConnection> ConnectAsync(StreamRequest request, IStreamObserver observer, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("never called");

        public IReadOnlyList<string> Validate(StreamRequest request) => ["1 instrument is over the broker's limit of 0."];
    }

    /// <summary>Scopes the meter to one test, so feeds in tests running in parallel are not observed.</summary>
    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}