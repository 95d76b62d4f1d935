using System.Buffers.Binary;
using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Ticks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FeedGuard.Kite.Tests.Codec;

public class KiteTickDecoderPropertyTests
{
    private static readonly DateTimeOffset Received = new(2023, 11, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly KiteTickDecoder Decoder = new(KiteTickDecoderTests.Registry);

    private static readonly byte[][] Frames =
    [
        KiteVectors.Parse(KiteVectors.LtpCds),
        KiteVectors.Parse(KiteVectors.QuoteNse),
        KiteVectors.Parse(KiteVectors.FullNfo),
        KiteVectors.Parse(KiteVectors.IndexFull),
        KiteVectors.Parse(KiteVectors.MixedLtpIndexQuote),
    ];

    [Property(MaxTest = 3000)]
    public void DecodeFrame_RandomBytes_NeverThrowsAndNeverInventsAnInstrument(byte[] bytes)
    {
        var ticks = new Tick[4];

        var result = Decoder.DecodeFrame(bytes ?? [], Received, ticks);

        Assert.InRange(result.Ticks, 0, ticks.Length);
        Assert.All(ticks.Take(result.Ticks), t => Assert.Contains(t.Instrument, KiteTickDecoderTests.Registry.All));
    }

    [Property(MaxTest = 3000)]
    public void DecodePacket_RandomBytes_NeverThrows(byte[] bytes)
    {
        var status = Decoder.DecodePacket(bytes ?? [], Received, out var tick);

        Assert.True(status == KiteDecodeStatus.Ok ? KiteTickDecoderTests.Registry.All.Contains(tick.Instrument) : tick == default);
    }

    [Property(MaxTest = 2000)]
    public Property DecodeFrame_TruncatedVector_IsReportedAndNeverThrows()
    {
        var cases =
            from index in Gen.Choose(0, Frames.Length - 1)
            from length in Gen.Choose(0, Frames[index].Length - 1)
            select (index, length);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var result = Decoder.DecodeFrame(Frames[c.index].AsSpan(0, c.length), Received, new Tick[4]);
            return result.Heartbeat || result.Malformed > 0;
        });
    }

    [Property(MaxTest = 2000)]
    public Property DecodeFrame_VectorWithBytesOverwritten_NeverThrows()
    {
        var cases =
            from index in Gen.Choose(0, Frames.Length - 1)
            from offset in Gen.Choose(0, Frames[index].Length - 1)
            from value in ArbMap.Default.GeneratorFor<byte>()
            from count in Gen.Choose(1, 4)
            select (index, offset, value, count);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var frame = (byte[])Frames[c.index].Clone();
            for (var i = 0; i < c.count && c.offset + i < frame.Length; i++)
            {
                frame[c.offset + i] ^= (byte)(c.value + i);
            }

            var ticks = new Tick[4];
            var result = Decoder.DecodeFrame(frame, Received, ticks);
            return ticks.Take(result.Ticks).All(t => KiteTickDecoderTests.Registry.All.Contains(t.Instrument));
        });
    }

    /// <summary>Encode (with a test-local packet writer) → decode gives the same numbers for any uint32 values.</summary>
    [Property(MaxTest = 1000)]
    public Property FullPacket_EncodeThenDecode_RoundTripsEveryField()
    {
        var cases =
            from instrument in Gen.Elements(KiteTickDecoderTests.Registry.All.Where(i => i.Token != "256265").ToArray())
            from values in Gen.ArrayOf(ArbMap.Default.GeneratorFor<uint>(), 12)
            select (instrument, values);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var token = uint.Parse(c.instrument.Token, System.Globalization.CultureInfo.InvariantCulture);
            var packet = new byte[KiteTickDecoder.FullLength];
            BinaryPrimitives.WriteUInt32BigEndian(packet, token);
            for (var i = 0; i < 11; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4 + (4 * i)), c.values[i]);
            }

            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(60), c.values[11]);
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(64), 7);       // bid qty
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(68), c.values[0]); // bid price
            var ticks = new Tick[1];

            var result = Decoder.DecodeFrame(KiteVectors.Frame(packet), Received, ticks);

            var tick = ticks[0];
            var scale = KiteTickDecoder.PriceScale(token);
            return result.Ticks == 1
                && tick.Instrument == c.instrument
                && tick.PriceScale == scale
                && tick.LastPriceUnits == c.values[0]
                && tick.LastQuantity == c.values[1]
                && tick.AveragePriceUnits == c.values[2]
                && tick.Volume == c.values[3]
                && tick.TotalBuyQuantity == c.values[4]
                && tick.TotalSellQuantity == c.values[5]
                && tick.OpenUnits == c.values[6] && tick.HighUnits == c.values[7] && tick.LowUnits == c.values[8] && tick.CloseUnits == c.values[9]
                && tick.ExchangeTime == (c.values[11] == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(c.values[11]))
                && tick.BidQuantity == 7 && tick.BidPriceUnits == c.values[0]
                && tick.LastPrice == Prices.ToDecimal(c.values[0], scale);
        });
    }

    [Property(MaxTest = 1000)]
    public Property IndexChange_AnyInt32_RoundTripsSigned()
    {
        return Prop.ForAll(ArbMap.Default.ArbFor<int>(), change =>
        {
            var packet = KiteVectors.Packet(KiteVectors.IndexFull);
            BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(24), change);
            return KiteTickDecoder.IndexChangeUnits(packet) == change;
        });
    }
}
