using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Ticks;

namespace FeedGuard.Benchmarks;

/// <summary>
/// Kite ticker packet decode per mode, token lookup in a 1000-instrument decoder included (what the
/// issue's "Kite full packet ≤ 60 ns" target measures). Baseline: the same big-endian fields read
/// into locals (no validation, no lookup, no <see cref="Tick"/>), so the ratio is what validation,
/// lookup and building the tick cost on top of touching the bytes.
/// </summary>
[MemoryDiagnoser]
public class KiteDecodeBenchmarks
{
    private byte[] _packet = [];
    private KiteTickDecoder _decoder = null!;
    private DateTimeOffset _receiveTime;

    /// <summary>ltp (8 B), quote (44 B), full (184 B), index (index full, 32 B).</summary>
    [Params("ltp", "quote", "full", "index")]
    public string Mode { get; set; } = "ltp";

    [GlobalSetup]
    public void Setup()
    {
        _decoder = new KiteTickDecoder(Fixtures.KiteRegistry(1000));
        _packet = Fixtures.KitePacket(Mode, Fixtures.KiteToken(500));
        _receiveTime = DateTimeOffset.FromUnixTimeMilliseconds(Fixtures.ExchangeTimeMs + 5);
    }

    [Benchmark(Baseline = true)]
    public long ReadFieldsOnly()
    {
        ReadOnlySpan<byte> p = _packet;
        long sum = BinaryPrimitives.ReadUInt32BigEndian(p) + BinaryPrimitives.ReadUInt32BigEndian(p[4..]);
        for (var offset = 8; offset + 4 <= Math.Min(p.Length, 64); offset += 4)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(p[offset..]);
        }

        if (p.Length == KiteTickDecoder.FullLength)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(p[64..]) + BinaryPrimitives.ReadUInt32BigEndian(p[68..])
                + BinaryPrimitives.ReadUInt32BigEndian(p[124..]) + BinaryPrimitives.ReadUInt32BigEndian(p[128..]);
        }

        return sum;
    }

    [Benchmark]
    public long Decode()
    {
        var status = _decoder.DecodePacket(_packet, _receiveTime, out var tick);
        return (long)status + tick.LastPriceUnits;
    }
}

/// <summary>
/// The decode targets side by side, each as one call from wire bytes to an interned
/// instrument's <see cref="Tick"/>: a SmartAPI LTP packet (51 B, ≤ 25 ns) and a Kite full packet
/// (184 B, ≤ 60 ns), 1000 instruments registered. Baseline: only the lookup, from the same bytes, of
/// the instrument in a plain <see cref="Dictionary{TKey, TValue}"/> keyed by the numeric token,
/// the least a decoder must do before it can build a tick.
/// </summary>
[MemoryDiagnoser]
public class DecodeAndLookupBenchmarks
{
    private byte[] _smartLtp = [];
    private byte[] _kiteFull = [];
    private InstrumentRegistry _smartRegistry = null!;
    private KiteTickDecoder _kite = null!;
    private Dictionary<uint, Instrument> _byKiteToken = null!;
    private DateTimeOffset _receiveTime;

    [GlobalSetup]
    public void Setup()
    {
        _smartRegistry = Fixtures.Registry(1000);
        _smartLtp = Fixtures.SmartPacket(1, Fixtures.Token(500));
        var kiteRegistry = Fixtures.KiteRegistry(1000);
        _kite = new KiteTickDecoder(kiteRegistry);
        _byKiteToken = kiteRegistry.All.ToDictionary(i => uint.Parse(i.Token, System.Globalization.CultureInfo.InvariantCulture));
        _kiteFull = Fixtures.KitePacket("full", Fixtures.KiteToken(500));
        _receiveTime = DateTimeOffset.FromUnixTimeMilliseconds(Fixtures.ExchangeTimeMs + 5);
    }

    [Benchmark(Baseline = true)]
    public Instrument? LookupOnly() =>
        _byKiteToken.TryGetValue(BinaryPrimitives.ReadUInt32BigEndian(_kiteFull), out var instrument) ? instrument : null;

    [Benchmark]
    public long SmartApiLtp()
    {
        var status = FeedGuard.SmartApi.Codec.SmartStreamDecoder.Decode(_smartLtp, _smartRegistry, _receiveTime, out var tick);
        return (long)status + tick.LastPriceUnits;
    }

    [Benchmark]
    public long KiteFull()
    {
        var status = _kite.DecodePacket(_kiteFull, _receiveTime, out var tick);
        return (long)status + tick.LastPriceUnits;
    }
}
