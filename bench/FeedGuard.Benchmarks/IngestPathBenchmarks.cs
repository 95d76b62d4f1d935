using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using FeedGuard.Buffers;
using FeedGuard.Instruments;
using FeedGuard.Integrity;
using FeedGuard.Ticks;

namespace FeedGuard.Benchmarks;

/// <summary>
/// The whole ingest path for one frame, a 64-tick Kite-style batch or a one-tick SmartStream message:
/// tier check, gate, instrument book, fan-out, and a consumer that sums the prices. Baseline: the same
/// frame's ticks summed where they were made, which is all the loopback benchmark's floor does after
/// decoding. The difference is what FeedGuard adds per frame (divide by 64 for per tick), per subscriber
/// kind, so the hand-off's share shows; the one-tick frame shows the fixed cost of a message.
/// </summary>
[MemoryDiagnoser]
public class IngestPathBenchmarks
{
    private const int Instruments = 64;
    private Tick[] _frame = [];
    private readonly Tick[] _drain = new Tick[256];
    private Instrument[] _instruments = [];
    private TickIngest _inline = null!;
    private TickIngest _lossless = null!;
    private TickIngest _latest = null!;
    private TickSubscription _losslessReader = null!;
    private TickSubscription _latestReader = null!;
    private BenchStreamProbe _probe = null!;
    private long _sum;
    private long _sequence;
    private long _exchangeTicks;

    /// <summary>Ticks per frame: 64 (Kite-style) or 1 (SmartStream, one packet per message).</summary>
    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frame = new Tick[Batch];
        _instruments = [.. Fixtures.Registry(Instruments).All];
        _probe = new BenchStreamProbe();
        _inline = Build(hub => hub.SubscribeInline(ticks => Sum(ticks), new InlineSubscriptionOptions()));
        _lossless = Build(hub => _losslessReader = hub.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.Wait, Capacity = 10_000 }));
        _latest = Build(hub => _latestReader = hub.Subscribe(new SubscriptionOptions { Policy = BufferPolicy.LatestPerInstrument }));
        _exchangeTicks = DateTimeOffset.FromUnixTimeMilliseconds(Fixtures.ExchangeTimeMs).UtcTicks;
    }

    [Benchmark(Baseline = true)]
    public long MakeAndSum()
    {
        MakeFrame();
        Sum(_frame);
        return _sum;
    }

    [Benchmark]
    public long IngestInline()
    {
        MakeFrame();
        _inline.IngestAsync(_frame, TickSource.Stream, _probe, Stopwatch.GetTimestamp(), CancellationToken.None).GetAwaiter().GetResult();
        return _sum;
    }

    [Benchmark]
    public long IngestLosslessThenDrain()
    {
        MakeFrame();
        _lossless.IngestAsync(_frame, TickSource.Stream, _probe, Stopwatch.GetTimestamp(), CancellationToken.None).GetAwaiter().GetResult();
        return Drain(_losslessReader);
    }

    [Benchmark]
    public long IngestLatestThenDrain()
    {
        MakeFrame();
        _latest.IngestAsync(_frame, TickSource.Stream, _probe, Stopwatch.GetTimestamp(), CancellationToken.None).GetAwaiter().GetResult();
        return Drain(_latestReader);
    }

    private TickIngest Build(Action<TickHub> subscribe)
    {
        var books = _instruments.Select(i => new InstrumentBook(i, 64)).ToArray();
        var hub = new TickHub(_instruments.Length, _ => { }, (_, _) => { }, TimeProvider.System);
        subscribe(hub);
        var ingest = new TickIngest(books, hub, new NoOpIngestListener(), TimeSpan.FromMinutes(5), TimeProvider.System);
        ingest.SetAccepted(_probe, poll: false, simulated: false);
        return ingest;
    }

    // Every frame is new data (a later sequence), so the gate delivers every tick.
    private void MakeFrame()
    {
        var receive = _exchangeTicks + TimeSpan.TicksPerMillisecond;
        for (var i = 0; i < Batch; i++)
        {
            var values = new TickValues { Fields = TickFields.ExchangeTime | TickFields.Sequence, ExchangeTimeUtcTicks = _exchangeTicks, Sequence = ++_sequence };
            _frame[i] = new Tick(_instruments[(int)(_sequence % Instruments)], TickSource.Stream, 304_550 + i, 2, receive, values);
        }
    }

    private long Drain(TickSubscription reader)
    {
        int read;
        while ((read = reader.TryReadBatch(_drain)) > 0)
        {
            Sum(_drain.AsSpan(0, read));
        }

        return _sum;
    }

    private void Sum(ReadOnlySpan<Tick> ticks)
    {
        foreach (ref readonly var tick in ticks)
        {
            _sum += tick.LastPriceUnits;
        }
    }
}
