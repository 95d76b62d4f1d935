using FeedGuard.Emulator.SmartApi;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;
using FeedGuard.Ticks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace FeedGuard.SmartApi.Tests.Codec;

/// <summary>
/// The emulator's encoder and the client's decoder are written independently from protocols §1.5;
/// a random tick in each mode must survive the trip with every value intact, currency (exchange
/// type 13, scale 7) included.
/// </summary>
public class SmartStreamRoundTripPropertyTests
{
    private static readonly DateTimeOffset Received = new(2024, 3, 1, 4, 0, 0, TimeSpan.Zero);

    // Wire exchangeType → FeedGuard exchange and price scale, from protocols §1.3 (not from the decoder).
    private static readonly (byte Wire, Exchange Exchange, byte Scale)[] Exchanges =
    [
        (1, Exchange.Nse, 2),
        (2, Exchange.Nfo, 2),
        (3, Exchange.Bse, 2),
        (4, Exchange.Bfo, 2),
        (5, Exchange.Mcx, 2),
        (7, Exchange.Ncdex, 2),
        (13, Exchange.Cds, 7),
    ];

    // The largest exchange time a DateTimeOffset holds, in Unix milliseconds.
    private const long MaxUnixMs = 253_402_300_799_999;

    public sealed record Header(int ExchangeIndex, string Token, long Sequence, long ExchangeTimeMs, long Ltp);

    public sealed record Snap(SmartSnapQuoteFields Fields, SmartDepthLevel[] Bids, SmartDepthLevel[] Asks);

    // FsCheck's own longs stay small; prices, volumes and times on the wire use the whole range.
    private static Gen<long> Wide =>
        from high in Gen.Choose(0, int.MaxValue)
        from low in Gen.Choose(0, int.MaxValue)
        from shift in Gen.Choose(0, 62)
        select (((long)high << 31) | (uint)low) >> shift;

    private static Gen<long> AnyLong =>
        from magnitude in Wide
        from negative in ArbMap.Default.GeneratorFor<bool>()
        select negative ? -magnitude - 1 : magnitude;

    private static Gen<long> Between(long min, long max) => Wide.Select(v => min + (v % (max - min + 1)));

    private static Gen<Header> Headers =>
        from exchange in Gen.Choose(0, Exchanges.Length - 1)
        from digits in Gen.Choose(1, 10)
        from token in Gen.ArrayOf(Gen.Choose('0', '9').Select(c => (char)c), digits)
        from sequence in Between(1, long.MaxValue)
        from time in Between(1, MaxUnixMs)
        from ltp in AnyLong
        select new Header(exchange, new string(token), sequence, time, ltp);

    // Totals travel as float64; the decoder keeps whole numbers a long can hold.
    private static Gen<SmartQuoteFields> Quotes =>
        from ltq in AnyLong
        from average in AnyLong
        from volume in AnyLong
        from totalBuy in Between(0, 1L << 52)
        from totalSell in Between(0, 1L << 52)
        from open in AnyLong
        from high in AnyLong
        from low in AnyLong
        from close in AnyLong
        select new SmartQuoteFields(ltq, average, volume, totalBuy, totalSell, open, high, low, close);

    private static Gen<Snap> Snaps =>
        from fields in SnapFields
        from bids in Books
        from asks in Books
        select new Snap(fields, bids, asks);

    private static Gen<SmartSnapQuoteFields> SnapFields =>
        from lastTrade in AnyLong
        from openInterest in AnyLong
        from upper in AnyLong
        from lower in AnyLong
        from high52 in AnyLong
        from low52 in AnyLong
        select new SmartSnapQuoteFields(lastTrade, openInterest, 0.0, upper, lower, high52, low52);

    // Quantity 0 is an empty level: the decoder then leaves the best bid or ask unset.
    private static Gen<SmartDepthLevel[]> Books =>
        Gen.ArrayOf(
            from quantity in Gen.OneOf(Gen.Constant(0L), Between(1, long.MaxValue))
            from price in AnyLong
            from orders in Gen.Choose(0, short.MaxValue)
            select new SmartDepthLevel(quantity, price, (short)orders),
            SmartStreamEncoder.BestFiveLevels);

    [Property(MaxTest = 1000)]
    public Property Ltp_EncodedByTheEmulator_DecodesToTheSameValues() =>
        Prop.ForAll(Headers.ToArbitrary(), h =>
        {
            var packet = new byte[SmartStreamEncoder.LtpPacketSize];
            SmartStreamEncoder.WriteLtp(packet, Wire(h), h.Token, h.Sequence, h.ExchangeTimeMs, h.Ltp);

            var tick = Decode(packet, h);

            Assert.Equal(TickFields.ExchangeTime | TickFields.Sequence, tick.Fields);
        });

    [Property(MaxTest = 1000)]
    public Property Quote_EncodedByTheEmulator_DecodesToTheSameValues() =>
        Prop.ForAll(Headers.ToArbitrary(), Quotes.ToArbitrary(), (h, q) =>
        {
            var packet = new byte[SmartStreamEncoder.QuotePacketSize];
            SmartStreamEncoder.WriteQuote(packet, Wire(h), h.Token, h.Sequence, h.ExchangeTimeMs, h.Ltp, q);

            var tick = Decode(packet, h);

            AssertQuote(q, tick);
            Assert.False(tick.Has(TickFields.BestBid));
            Assert.False(tick.Has(TickFields.BestAsk));
        });

    [Property(MaxTest = 1000)]
    public Property SnapQuote_EncodedByTheEmulator_DecodesToTheSameValues() =>
        Prop.ForAll(Headers.ToArbitrary(), Quotes.ToArbitrary(), Snaps.ToArbitrary(), (h, q, snap) =>
        {
            var (s, bids, asks) = snap;
            var packet = new byte[SmartStreamEncoder.SnapQuotePacketSize];
            SmartStreamEncoder.WriteSnapQuote(packet, Wire(h), h.Token, h.Sequence, h.ExchangeTimeMs, h.Ltp, q, s, bids, asks);

            var tick = Decode(packet, h);

            AssertQuote(q, tick);
            Assert.Equal(s.OpenInterest, tick.OpenInterest);
            Assert.Equal(bids[0].Quantity > 0, tick.Has(TickFields.BestBid));
            if (bids[0].Quantity > 0)
            {
                Assert.Equal(bids[0].Quantity, tick.BidQuantity);
                Assert.Equal(bids[0].Price, tick.BidPriceUnits);
            }

            Assert.Equal(asks[0].Quantity > 0, tick.Has(TickFields.BestAsk));
            if (asks[0].Quantity > 0)
            {
                Assert.Equal(asks[0].Quantity, tick.AskQuantity);
                Assert.Equal(asks[0].Price, tick.AskPriceUnits);
            }
        });

    [Fact]
    public void Currency_LtpEncodedByTheEmulator_DecodesAtScaleSeven()
    {
        var packet = new byte[SmartStreamEncoder.LtpPacketSize];
        SmartStreamEncoder.WriteLtp(packet, 13, "1234", 7, 1_700_000_000_123, 832_512_500);
        var registry = new InstrumentRegistry([new InstrumentKey(Exchange.Cds, "1234")]);

        var status = SmartStreamDecoder.Decode(packet, registry, Received, out var tick);

        Assert.Equal(SmartStreamDecodeStatus.Ok, status);
        Assert.Equal((byte)7, tick.PriceScale);
        Assert.Equal(83.25125m, tick.LastPrice);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), tick.ExchangeTime);
    }

    private static byte Wire(Header h) => Exchanges[h.ExchangeIndex].Wire;

    private static Tick Decode(byte[] packet, Header h)
    {
        var (_, exchange, scale) = Exchanges[h.ExchangeIndex];
        var registry = new InstrumentRegistry([new InstrumentKey(exchange, h.Token)]);

        var status = SmartStreamDecoder.Decode(packet, registry, Received, out var tick);

        Assert.Equal(SmartStreamDecodeStatus.Ok, status);
        Assert.Same(registry.All[0], tick.Instrument);
        Assert.Equal(exchange, tick.Instrument.Exchange);
        Assert.Equal(h.Token, tick.Instrument.Token);
        Assert.Equal(TickSource.Stream, tick.Source);
        Assert.Equal(scale, tick.PriceScale);
        Assert.Equal(h.Ltp, tick.LastPriceUnits);
        Assert.Equal(h.Sequence, tick.Sequence);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(h.ExchangeTimeMs), tick.ExchangeTime);
        Assert.Equal(Received, tick.ReceiveTime);
        return tick;
    }

    private static void AssertQuote(SmartQuoteFields q, Tick tick)
    {
        Assert.Equal(q.LastTradedQuantity, tick.LastQuantity);
        Assert.Equal(q.AverageTradedPrice, tick.AveragePriceUnits);
        Assert.Equal(q.VolumeTradedToday, tick.Volume);
        Assert.Equal((long)q.TotalBuyQuantity, tick.TotalBuyQuantity);
        Assert.Equal((long)q.TotalSellQuantity, tick.TotalSellQuantity);
        Assert.Equal(q.Open, tick.OpenUnits);
        Assert.Equal(q.High, tick.HighUnits);
        Assert.Equal(q.Low, tick.LowUnits);
        Assert.Equal(q.Close, tick.CloseUnits);
    }
}
