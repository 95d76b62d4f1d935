using System.Diagnostics;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using FeedGuard.Buffers;
using FeedGuard.Instruments;
using FeedGuard.Integrity;
using FeedGuard.Ticks;

namespace FeedGuard.Benchmarks;

/// <summary>
/// One tick through <see cref="TickIngest"/> (tier check, gate, book, fan-out) to 1, 4 or 16
/// subscribers of one buffer policy, each subscriber drained in the same operation so no buffer
/// fills; an <see cref="BufferPolicy.Inline"/> subscriber is a handler that counts the ticks it is
/// called with. <see cref="Batch"/> 1 is SmartAPI (one packet per message, so one ingest call per
/// tick); 64 is a Kite-style frame. Baseline: one bounded <see cref="Channel{T}"/> TryWrite (and
/// TryRead) per subscriber per tick, no gate: the hand-off a naive gateway makes for every consumer,
/// inline ones included. Both sides build the same ticks. Reported per tick.
/// </summary>
[MemoryDiagnoser]
public class HubFanOutBenchmarks
{
    private const int Ticks = 64;
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    private readonly Tick[] _ticks = new Tick[Ticks];
    private InstrumentRegistry _registry = null!;
    private TickIngest _ingest = null!;
    private TickSubscription[] _subscriptions = [];
    private Channel<Tick>[] _channels = [];
    private BenchStreamProbe _probe = null!;
    private DateTimeOffset _exchangeTime;
    private long _sequence;
    private int _inlineRead;

    [Params(1, 4, 16)]
    public int Subscribers { get; set; }

    [Params(BufferPolicy.LatestPerInstrument, BufferPolicy.DropOldest, BufferPolicy.Wait, BufferPolicy.Inline)]
    public BufferPolicy Policy { get; set; }

    /// <summary>Ticks per ingest call: 1 (SmartAPI, one packet per message) or 64 (Kite-style frame).</summary>
    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = Fixtures.Registry(Ticks);
        var books = _registry.All.Select(i => new InstrumentBook(i, 64)).ToArray();
        var hub = new TickHub(_registry.Count, _ => { }, (_, _) => { }, TimeProvider.System);
        if (Policy == BufferPolicy.Inline)
        {
            foreach (var i in Enumerable.Range(0, Subscribers))
            {
                hub.SubscribeInline(ticks => _inlineRead += ticks.Length, new InlineSubscriptionOptions { Name = $"s{i}" });
            }
        }
        else
        {
            _subscriptions = [.. Enumerable.Range(0, Subscribers).Select(i => hub.Subscribe(new SubscriptionOptions { Name = $"s{i}", Policy = Policy, Capacity = 10_000 }))];
        }

        _ingest = new TickIngest(books, hub, new NoOpIngestListener(), FutureTolerance, TimeProvider.System);
        _probe = new BenchStreamProbe();
        _ingest.SetAccepted(_probe, poll: false, simulated: false);
        var mode = Policy == BufferPolicy.Wait ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest;
        _channels = [.. Enumerable.Range(0, Subscribers).Select(_ => Channel.CreateBounded<Tick>(new BoundedChannelOptions(10_000) { FullMode = mode, SingleReader = true, SingleWriter = true }))];
        _exchangeTime = DateTimeOffset.FromUnixTimeMilliseconds(Fixtures.ExchangeTimeMs);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ticks)]
    public int ChannelPerSubscriber()
    {
        Fill();
        var read = 0;
        for (var i = 0; i < Ticks; i++)
        {
            foreach (var channel in _channels)
            {
                channel.Writer.TryWrite(_ticks[i]);
            }
        }

        foreach (var channel in _channels)
        {
            while (channel.Reader.TryRead(out _))
            {
                read++;
            }
        }

        return read;
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public int TickIngestFanOut()
    {
        Fill();
        var ticks = _ticks.AsMemory();
        for (var i = 0; i < Ticks; i += Batch)
        {
            var pending = _ingest.IngestAsync(ticks.Slice(i, Batch), TickSource.Stream, _probe, Stopwatch.GetTimestamp(), CancellationToken.None);
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().GetAwaiter().GetResult();
            }
        }

        var read = _inlineRead;
        _inlineRead = 0;
        foreach (var subscription in _subscriptions)
        {
            while (subscription.TryRead(out _))
            {
                read++;
            }
        }

        return read;
    }

    // New sequence numbers every operation, so the gate delivers every tick rather than counting duplicates.
    private void Fill()
    {
        var receive = _exchangeTime.AddMilliseconds(5);
        for (var i = 0; i < Ticks; i++)
        {
            _ticks[i] = new Tick(_registry[i], TickSource.Stream, 304_550 + i, 2, receive) { ExchangeTime = _exchangeTime, Sequence = ++_sequence };
        }
    }
}
