using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FeedGuard.SmartApi.Tests.Codec;

public class SmartStreamDecoderPropertyTests
{
    private static readonly DateTimeOffset Received = new(2023, 11, 15, 9, 0, 0, TimeSpan.Zero);

    private static readonly InstrumentRegistry Registry = new(
    [
        new InstrumentKey(Exchange.Nse, "3045"),
        new InstrumentKey(Exchange.Nfo, "57920"),
    ]);

    private static readonly byte[][] Vectors =
    [
        SmartStreamVectors.Parse(SmartStreamVectors.Ltp),
        SmartStreamVectors.Parse(SmartStreamVectors.Quote),
        SmartStreamVectors.Parse(SmartStreamVectors.SnapQuote),
    ];

    [Property(MaxTest = 2000)]
    public void Decode_RandomBytes_NeverThrowsAndNeverInventsAnInstrument(byte[] bytes)
    {
        var status = SmartStreamDecoder.Decode(bytes ?? [], Registry, Received, out var tick);

        if (status == SmartStreamDecodeStatus.Ok)
        {
            Assert.Contains(tick.Instrument, Registry.All);
        }
        else
        {
            Assert.Equal(default, tick);
        }
    }

    [Property(MaxTest = 2000)]
    public Property Decode_TruncatedVector_IsAlwaysMalformed()
    {
        var cases =
            from index in Gen.Choose(0, Vectors.Length - 1)
            from length in Gen.Choose(0, Vectors[index].Length - 1)
            select (index, length);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var status = SmartStreamDecoder.Decode(Vectors[c.index].AsSpan(0, c.length), Registry, Received, out _);
            return status is SmartStreamDecodeStatus.WrongLength or SmartStreamDecodeStatus.UnknownMode;
        });
    }

    [Property(MaxTest = 2000)]
    public Property Decode_VectorWithRandomBytesOverwritten_NeverThrows()
    {
        var cases =
            from index in Gen.Choose(0, Vectors.Length - 1)
            from offset in Gen.Choose(0, Vectors[index].Length - 1)
            from value in ArbMap.Default.GeneratorFor<byte>()
            from count in Gen.Choose(1, 4)
            select (index, offset, value, count);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var packet = (byte[])Vectors[c.index].Clone();
            for (var i = 0; i < c.count && c.offset + i < packet.Length; i++)
            {
                packet[c.offset + i] ^= (byte)(c.value + i);
            }

            var status = SmartStreamDecoder.Decode(packet, Registry, Received, out var tick);
            return status != SmartStreamDecodeStatus.Ok || Registry.All.Contains(tick.Instrument);
        });
    }
}
