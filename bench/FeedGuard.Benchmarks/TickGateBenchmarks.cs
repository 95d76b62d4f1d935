using BenchmarkDotNet.Attributes;
using FeedGuard.Instruments;
using FeedGuard.Integrity;
using FeedGuard.Ticks;

namespace FeedGuard.Benchmarks;

/// <summary>
/// The dedup and ordering gate. Baseline: a plain exchange-timestamp compare, the least a gate can
/// do. <see cref="GateCheck"/> is the pure rule for a tick at the last one's exchange time (judged by
/// sequence), <see cref="GateCheckLaterTime"/> for one a millisecond later (most stream ticks);
/// <see cref="BookCheckAndAccept"/> is what the ingest path does per delivered tick (rule, then record
/// latest value and rolling window under the book's sequence lock).
/// </summary>
[MemoryDiagnoser]
public class TickGateBenchmarks
{
    private static readonly long FutureTolerance = TimeSpan.FromMinutes(5).Ticks;
    private Tick _last;
    private Tick _next;
    private Tick _later;
    private Instrument _instrument = null!;
    private InstrumentBook _book = null!;
    private DateTimeOffset _receiveTime;
    private DateTimeOffset _exchangeTime;
    private long _sequence;

    [GlobalSetup]
    public void Setup()
    {
        _instrument = Fixtures.Registry(1)[0];
        _book = new InstrumentBook(_instrument, 64);
        _exchangeTime = DateTimeOffset.FromUnixTimeMilliseconds(Fixtures.ExchangeTimeMs);
        _receiveTime = _exchangeTime.AddMilliseconds(5);
        _last = new Tick(_instrument, TickSource.Stream, 304_550, 2, _receiveTime) { ExchangeTime = _exchangeTime, Sequence = 41 };
        _next = new Tick(_instrument, TickSource.Stream, 304_555, 2, _receiveTime) { ExchangeTime = _exchangeTime, Sequence = 42 };
        _later = new Tick(_instrument, TickSource.Stream, 304_555, 2, _receiveTime) { ExchangeTime = _exchangeTime.AddMilliseconds(1), Sequence = 42 };
        _book.Accept(_last);
    }

    [Benchmark(Baseline = true)]
    public bool TimestampCompare() => _next.ExchangeTimeUtcTicks >= _last.ExchangeTimeUtcTicks;

    [Benchmark]
    public int GateCheck() => (int)TickGate.Check(_next, _last, true, _last.ExchangeTimeUtcTicks, FutureTolerance);

    [Benchmark]
    public int GateCheckLaterTime() => (int)TickGate.Check(_later, _last, true, _last.ExchangeTimeUtcTicks, FutureTolerance);

    [Benchmark]
    public int BookCheckAndAccept()
    {
        var tick = new Tick(_instrument, TickSource.Stream, 304_555, 2, _receiveTime) { ExchangeTime = _exchangeTime, Sequence = ++_sequence + 100 };
        var verdict = _book.Check(tick, FutureTolerance);
        if (verdict == GateVerdict.Deliver)
        {
            _book.Accept(tick);
        }

        return (int)verdict;
    }
}
