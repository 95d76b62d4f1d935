using System.Buffers.Binary;
using FeedGuard.Instruments;
using FeedGuard.Nats.Payload;
using FeedGuard.Ticks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FeedGuard.Nats.Tests.Payload;

/// <summary>The bus payload: every tick survives the trip with every value, and no byte string makes the decoder throw.</summary>
public class TickPayloadTests
{
    public sealed record Shape(int Exchange, string Token, byte Source, byte Scale, long Price, long Receive, long?[] Optional, bool Average, bool Ohlc, bool Bid, bool Ask, long[] Values);

    private static Gen<long> AnyLong =>
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        from shift in Gen.Choose(0, 63)
        select (((long)high << 32) | (uint)low) >> shift;

    private static Gen<long?> Maybe => from present in ArbMap.Default.GeneratorFor<bool>() from value in AnyLong select present ? value : (long?)null;

    private static Gen<Shape> Shapes =>
        from exchange in Gen.Choose(1, 9)
        from length in Gen.Choose(1, 24)
        from token in Gen.ArrayOf(Gen.Elements("ABCXYZ0123456789abz".ToCharArray()), length)
        from source in Gen.Choose(1, 3)
        from scale in Gen.Choose(0, Prices.MaxScale)
        from price in AnyLong
        from receive in Gen.Choose(0, int.MaxValue).Select(v => v * 1_000_000_000L)
        from optional in Gen.ArrayOf(Maybe, 7)
        from flags in Gen.ArrayOf(ArbMap.Default.GeneratorFor<bool>(), 4)
        from values in Gen.ArrayOf(AnyLong, 8)
        select new Shape(exchange, new string(token), (byte)source, (byte)scale, price, receive, optional, flags[0], flags[1], flags[2], flags[3], values);

    private static Tick Build(Shape s)
    {
        var instrument = new InstrumentRegistry([new InstrumentKey((Exchange)s.Exchange, s.Token)]).All[0];
        var exchangeTime = s.Optional[0] is { } x ? new DateTimeOffset(Math.Abs(x % DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero) : (DateTimeOffset?)null;
        var tick = new Tick(instrument, (TickSource)s.Source, s.Price, s.Scale, new DateTimeOffset(s.Receive, TimeSpan.Zero))
        {
            ExchangeTime = exchangeTime,
            Sequence = s.Optional[1],
            LastQuantity = s.Optional[2],
            Volume = s.Optional[3],
            TotalBuyQuantity = s.Optional[4],
            TotalSellQuantity = s.Optional[5],
            OpenInterest = s.Optional[6],
        };
        tick = s.Average ? tick with { AveragePriceUnits = s.Values[0] } : tick;
        tick = s.Ohlc ? tick with { OpenUnits = s.Values[1], HighUnits = s.Values[2], LowUnits = s.Values[3], CloseUnits = s.Values[4] } : tick;
        tick = s.Bid ? tick with { BidPriceUnits = s.Values[5], BidQuantity = s.Values[6] } : tick;
        return s.Ask ? tick with { AskPriceUnits = s.Values[7], AskQuantity = s.Values[6] } : tick;
    }

    [Property(MaxTest = 500)]
    public Property EncodeThenDecode_ReturnsAnEqualTick() => Prop.ForAll(Shapes.ToArbitrary(), shape =>
    {
        var tick = Build(shape);
        var buffer = new byte[TickPayload.MaxLength];
        var length = TickPayload.Encode(tick, buffer);
        var decoded = TickPayload.TryDecode(buffer.AsSpan(0, length), tick.Instrument, out var back, out var error);
        return (decoded && back == tick && back.TotalBuyQuantity == tick.TotalBuyQuantity && back.TotalSellQuantity == tick.TotalSellQuantity)
            .Label($"{tick} → {(decoded ? back.ToString() : error)}");
    });

    [Property(MaxTest = 500)]
    public Property Decode_AnyBytes_NeverThrows() => Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
    {
        var instrument = new InstrumentRegistry([InstrumentKey.Parse("NSE:1")]).All[0];
        _ = TickPayload.TryReadInstrument(bytes, out _, out _, out _);
        _ = TickPayload.TryDecode(bytes, instrument, out _, out _);
        return true;
    });

    [Property(MaxTest = 200)]
    public Property Decode_TruncatedPayload_IsRejectedWithAReason() => Prop.ForAll(Shapes.ToArbitrary(), shape =>
    {
        var tick = Build(shape);
        var buffer = new byte[TickPayload.MaxLength];
        var length = TickPayload.Encode(tick, buffer);
        return Enumerable.Range(0, length).All(cut => !TickPayload.TryDecode(buffer.AsSpan(0, cut), tick.Instrument, out _, out var error) && error is not null);
    });

    [Fact]
    public void Decode_AnotherVersion_IsRejectedNamingIt()
    {
        var instrument = new InstrumentRegistry([InstrumentKey.Parse("NSE:3045")]).All[0];
        var buffer = new byte[TickPayload.MaxLength];
        var length = TickPayload.Encode(new Tick(instrument, TickSource.Stream, 123_45, 2, DateTimeOffset.UnixEpoch), buffer);
        buffer[0] = 2;

        Assert.False(TickPayload.TryDecode(buffer.AsSpan(0, length), instrument, out _, out var error));
        Assert.Contains("version 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_LtpTick_IsTheDocumentedLayout()
    {
        var instrument = new InstrumentRegistry([InstrumentKey.Parse("NSE:3045")]).All[0];
        var tick = new Tick(instrument, TickSource.Poll, 812_35, 2, new DateTimeOffset(1000, TimeSpan.Zero)) { ExchangeTime = new DateTimeOffset(900, TimeSpan.Zero) };
        var buffer = new byte[TickPayload.MaxLength];

        var length = TickPayload.Encode(tick, buffer);

        // docs/nats.md: version, exchange, source, scale, fields (u16), totals, token length, token, price, receive time, exchange time.
        Assert.Equal(8 + 4 + 8 + 8 + 8, length);
        Assert.Equal(new byte[] { 1, (byte)Exchange.Nse, (byte)TickSource.Poll, 2, 1, 0, 0, 4 }, buffer[..8]);
        Assert.Equal("3045"u8.ToArray(), buffer[8..12]);
        Assert.Equal(812_35, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(12)));
        Assert.Equal(1000, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(20)));
        Assert.Equal(900, BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(28)));
    }
}
