using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;
using FeedGuard.Ticks;

namespace FeedGuard.Benchmarks;

/// <summary>
/// SmartStream packet decode per mode. Baseline: the same wire fields read with BinaryPrimitives
/// into locals (no token lookup, no Tick), so the ratio is what validation, lookup and building
/// a <see cref="Tick"/> cost on top of touching the bytes.
/// </summary>
[MemoryDiagnoser]
public class SmartApiDecodeBenchmarks
{
    private byte[] _packet = [];
    private InstrumentRegistry _registry = null!;
    private DateTimeOffset _receiveTime;

    /// <summary>1 LTP (51 B), 2 Quote (123 B), 3 SnapQuote (379 B).</summary>
    [Params((byte)1, (byte)2, (byte)3)]
    public byte Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = Fixtures.Registry(1000);
        _packet = Fixtures.SmartPacket(Mode, Fixtures.Token(500));
        _receiveTime = DateTimeOffset.FromUnixTimeMilliseconds(Fixtures.ExchangeTimeMs + 5);
    }

    [Benchmark(Baseline = true)]
    public long ReadFieldsOnly()
    {
        ReadOnlySpan<byte> p = _packet;
        var sum = p[0] + p[1] + BinaryPrimitives.ReadInt64LittleEndian(p[27..]) + BinaryPrimitives.ReadInt64LittleEndian(p[35..])
            + BinaryPrimitives.ReadInt64LittleEndian(p[43..]);
        if (p.Length >= 123)
        {
            sum += BinaryPrimitives.ReadInt64LittleEndian(p[51..]) + BinaryPrimitives.ReadInt64LittleEndian(p[59..])
                + BinaryPrimitives.ReadInt64LittleEndian(p[67..]) + (long)BinaryPrimitives.ReadDoubleLittleEndian(p[75..])
                + (long)BinaryPrimitives.ReadDoubleLittleEndian(p[83..]) + BinaryPrimitives.ReadInt64LittleEndian(p[91..])
                + BinaryPrimitives.ReadInt64LittleEndian(p[99..]) + BinaryPrimitives.ReadInt64LittleEndian(p[107..])
                + BinaryPrimitives.ReadInt64LittleEndian(p[115..]);
        }

        if (p.Length >= 379)
        {
            sum += BinaryPrimitives.ReadInt64LittleEndian(p[131..]) + BinaryPrimitives.ReadInt64LittleEndian(p[149..])
                + BinaryPrimitives.ReadInt64LittleEndian(p[157..]) + BinaryPrimitives.ReadInt64LittleEndian(p[249..])
                + BinaryPrimitives.ReadInt64LittleEndian(p[257..]);
        }

        return sum;
    }

    [Benchmark]
    public long Decode()
    {
        var status = SmartStreamDecoder.Decode(_packet, _registry, _receiveTime, out var tick);
        return (long)status + tick.LastPriceUnits;
    }
}
