using System.Buffers.Binary;
using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Testing;
using FeedGuard.Ticks;

namespace FeedGuard.Kite.Tests.Codec;

public class KiteTickDecoderTests
{
    internal static readonly InstrumentRegistry Registry = new(
    [
        InstrumentKey.Parse("CDS:412931:USDINR23NOVFUT"),
        InstrumentKey.Parse("NSE:408065:INFY"),
        InstrumentKey.Parse("NFO:13368322:NIFTY23NOVFUT"),
        InstrumentKey.Parse("NSE:256265:NIFTY 50"),
        InstrumentKey.Parse("BCD:1798:EURINR"),
    ]);

    private static readonly DateTimeOffset Received = new(2023, 11, 15, 9, 0, 0, 123, TimeSpan.Zero);
    private static readonly DateTimeOffset ExchangeTime = DateTimeOffset.FromUnixTimeSeconds(1700038800);

    private readonly KiteTickDecoder _decoder = new(Registry);
    private readonly Tick[] _ticks = new Tick[8];

    private Instrument Get(string token) => Registry.All.Single(i => i.Token == token);

    private KiteFrameResult Decode(byte[] frame) => _decoder.DecodeFrame(frame, Received, _ticks);

    [Fact]
    public void DecodeFrame_LtpCdsVector_DividesBy10ToThe7()
    {
        var frame = KiteVectors.Parse(KiteVectors.LtpCds);
        Assert.Equal(12, frame.Length);

        var result = Decode(frame);

        Assert.Equal(new KiteFrameResult(1, 0, KiteDecodeStatus.Ok, false), result);
        var tick = _ticks[0];
        Assert.Same(Get("412931"), tick.Instrument);
        Assert.Equal(TickSource.Stream, tick.Source);
        Assert.Equal(832525000L, tick.LastPriceUnits);
        Assert.Equal((byte)7, tick.PriceScale);
        Assert.Equal(83.2525m, tick.LastPrice);
        Assert.Equal(Received, tick.ReceiveTime);
        Assert.Equal(TickFields.None, tick.Fields);
    }

    [Fact]
    public void DecodeFrame_QuoteVector_GivesListedValues()
    {
        var frame = KiteVectors.Parse(KiteVectors.QuoteNse);
        Assert.Equal(48, frame.Length);

        Assert.Equal(new KiteFrameResult(1, 0, KiteDecodeStatus.Ok, false), Decode(frame));

        var tick = _ticks[0];
        Assert.Same(Get("408065"), tick.Instrument);
        Assert.Equal((byte)2, tick.PriceScale);
        Assert.Equal(1574.05m, tick.LastPrice);
        Assert.Equal(12L, tick.LastQuantity);
        Assert.Equal(1570.33m, tick.AveragePrice);
        Assert.Equal(1204567L, tick.Volume);
        Assert.Equal(250111L, tick.TotalBuyQuantity);
        Assert.Equal(349876L, tick.TotalSellQuantity);
        Assert.Equal(1569.15m, tick.Open);
        Assert.Equal(1575.00m, tick.High);
        Assert.Equal(1561.05m, tick.Low);
        Assert.Equal(1567.80m, tick.Close);
        Assert.Null(tick.ExchangeTime);
        Assert.Null(tick.OpenInterest);
        Assert.False(tick.Has(TickFields.BestBid));
        Assert.Null(tick.Sequence);
    }

    [Fact]
    public void DecodeFrame_FullVector_GivesListedValuesAndTheFirstDepthLevels()
    {
        var frame = KiteVectors.Parse(KiteVectors.FullNfo);
        Assert.Equal(188, frame.Length);

        Assert.Equal(new KiteFrameResult(1, 0, KiteDecodeStatus.Ok, false), Decode(frame));

        var tick = _ticks[0];
        Assert.Same(Get("13368322"), tick.Instrument);
        Assert.Equal(Exchange.Nfo, tick.Instrument.Exchange);
        Assert.Equal(22150.45m, tick.LastPrice);
        Assert.Equal(50L, tick.LastQuantity);
        Assert.Equal(22098.10m, tick.AveragePrice);
        Assert.Equal(4567800L, tick.Volume);
        Assert.Equal(123450L, tick.TotalBuyQuantity);
        Assert.Equal(98760L, tick.TotalSellQuantity);
        Assert.Equal(21980.00m, tick.Open);
        Assert.Equal(22210.00m, tick.High);
        Assert.Equal(21955.50m, tick.Low);
        Assert.Equal(22013.20m, tick.Close);
        Assert.Equal(10234500L, tick.OpenInterest);
        Assert.Equal(ExchangeTime, tick.ExchangeTime);
        Assert.Equal(new DateTimeOffset(2023, 11, 15, 14, 30, 0, TimeSpan.FromHours(5.5)), tick.ExchangeTime);
        Assert.Equal(22150.00m, tick.BidPrice);
        Assert.Equal(500L, tick.BidQuantity);
        Assert.Equal(22151.00m, tick.AskPrice);
        Assert.Equal(250L, tick.AskQuantity);
    }

    [Fact]
    public void DecodeFrame_IndexFullVector_ReadsIndexOrderAndTime()
    {
        var frame = KiteVectors.Parse(KiteVectors.IndexFull);
        Assert.Equal(36, frame.Length);

        Assert.Equal(new KiteFrameResult(1, 0, KiteDecodeStatus.Ok, false), Decode(frame));

        var tick = _ticks[0];
        Assert.Same(Get("256265"), tick.Instrument);
        Assert.Equal(19635.25m, tick.LastPrice);
        Assert.Equal(19750.10m, tick.High);
        Assert.Equal(19588.40m, tick.Low);
        Assert.Equal(19700.00m, tick.Open);
        Assert.Equal(19721.50m, tick.Close);
        Assert.Equal(ExchangeTime, tick.ExchangeTime);
        Assert.Null(tick.Volume);
        Assert.Null(tick.LastQuantity);
    }

    [Theory]
    [InlineData(KiteVectors.IndexFull)]
    [InlineData(null)]
    public void IndexChangeUnits_IsSigned(string? dump)
    {
        // The mixed frame's second packet is the 28-byte index quote.
        var packet = dump is null ? KiteVectors.Parse(KiteVectors.MixedLtpIndexQuote)[14..] : KiteVectors.Packet(dump);

        var change = KiteTickDecoder.IndexChangeUnits(packet);

        Assert.Equal(-8625L, change);
        Assert.Equal(-86.25m, Prices.ToDecimal(change!.Value, 2));
    }

    [Fact]
    public void IndexChangeUnits_TradablePacket_IsNull()
    {
        Assert.Null(KiteTickDecoder.IndexChangeUnits(KiteVectors.Packet(KiteVectors.QuoteNse)));
        Assert.Null(KiteTickDecoder.IndexChangeUnits(KiteVectors.Packet(KiteVectors.LtpCds)));
    }

    [Fact]
    public void DecodeFrame_MixedFrame_DecodesBothPackets()
    {
        var frame = KiteVectors.Parse(KiteVectors.MixedLtpIndexQuote);
        Assert.Equal(42, frame.Length);

        Assert.Equal(new KiteFrameResult(2, 0, KiteDecodeStatus.Ok, false), Decode(frame));

        Assert.Same(Get("408065"), _ticks[0].Instrument);
        Assert.Equal(1574.05m, _ticks[0].LastPrice);
        Assert.Same(Get("256265"), _ticks[1].Instrument);
        Assert.Equal(19635.25m, _ticks[1].LastPrice);
        Assert.Equal(19721.50m, _ticks[1].Close);
        Assert.Null(_ticks[1].ExchangeTime);
    }

    [Fact]
    public void DecodeFrame_BcdToken_DividesBy10ToThe4()
    {
        var packet = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(packet, 1798); // 7 << 8 | 6 → BCD
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 902_512);

        Assert.Equal(1, Decode(KiteVectors.Frame(packet)).Ticks);
        Assert.Equal((byte)4, _ticks[0].PriceScale);
        Assert.Equal(90.2512m, _ticks[0].LastPrice);
    }

    [Fact]
    public void DecodeFrame_OneBytePayload_IsAHeartbeat()
    {
        Assert.Equal(new KiteFrameResult(0, 0, KiteDecodeStatus.Ok, true), Decode([0x00]));
        Assert.True(KiteTickDecoder.IsHeartbeat([0x7f]));
    }

    [Fact]
    public void DecodeFrame_Empty_IsMalformed()
    {
        Assert.Equal(new KiteFrameResult(0, 1, KiteDecodeStatus.EmptyFrame, false), Decode([]));
    }

    [Fact]
    public void DecodeFrame_ZeroPackets_IsNeitherTickNorMalformed()
    {
        Assert.Equal(new KiteFrameResult(0, 0, KiteDecodeStatus.Ok, false), Decode([0, 0]));
    }

    [Fact]
    public void DecodeFrame_BadPacketBetweenGoodOnes_KeepsTheGoodOnes()
    {
        var unknown = KiteVectors.Packet(KiteVectors.QuoteNse);
        unknown[3] = 0x02; // 408066: NFO segment, not subscribed
        var wrongLength = new byte[13];
        var frame = KiteVectors.Frame(KiteVectors.Packet(KiteVectors.LtpCds), unknown, wrongLength, KiteVectors.Packet(KiteVectors.FullNfo));

        var result = Decode(frame);

        Assert.Equal(new KiteFrameResult(2, 2, KiteDecodeStatus.UnknownToken, false), result);
        Assert.Equal(83.2525m, _ticks[0].LastPrice);
        Assert.Equal(22150.45m, _ticks[1].LastPrice);
    }

    [Fact]
    public void DecodeFrame_TruncatedFrame_KeepsThePacketsBeforeTheCut()
    {
        var frame = KiteVectors.Frame(KiteVectors.Packet(KiteVectors.LtpCds), KiteVectors.Packet(KiteVectors.FullNfo));

        var result = Decode(frame[..^10]);

        Assert.Equal(new KiteFrameResult(1, 1, KiteDecodeStatus.Truncated, false), result);
        Assert.Equal(83.2525m, _ticks[0].LastPrice);
    }

    [Fact]
    public void DecodeFrame_CountLargerThanThePackets_IsTruncated()
    {
        var frame = KiteVectors.Parse(KiteVectors.LtpCds);
        frame[1] = 3;

        Assert.Equal(new KiteFrameResult(1, 1, KiteDecodeStatus.Truncated, false), Decode(frame));
    }

    [Fact]
    public void DecodeFrame_TrailingBytes_AreCountedButTheTickStays()
    {
        byte[] frame = [.. KiteVectors.Parse(KiteVectors.LtpCds), 1, 2, 3];

        Assert.Equal(new KiteFrameResult(1, 1, KiteDecodeStatus.TrailingBytes, false), Decode(frame));
    }

    [Theory]
    [InlineData("QuoteNse", 28)] // tradable token with an index length
    [InlineData("IndexFull", 44)] // index token with a tradable length
    [InlineData("QuoteNse", 43)]
    [InlineData("QuoteNse", 4)]
    public void DecodePacket_LengthThatDoesNotFitTheSegment_IsWrongLength(string vector, int length)
    {
        var source = KiteVectors.Packet(vector == "QuoteNse" ? KiteVectors.QuoteNse : KiteVectors.IndexFull);
        var packet = new byte[length];
        source.AsSpan(0, Math.Min(length, source.Length)).CopyTo(packet);

        Assert.Equal(KiteDecodeStatus.WrongLength, _decoder.DecodePacket(packet, Received, out var tick));
        Assert.Equal(default, tick);
    }

    [Fact]
    public void DecodeFrame_MorePacketsThanTheBuffer_CountsTheRestAsNoRoom()
    {
        var ltp = KiteVectors.Packet(KiteVectors.LtpCds);
        var frame = KiteVectors.Frame(ltp, ltp, ltp);

        var result = _decoder.DecodeFrame(frame, Received, new Tick[2]);

        Assert.Equal(new KiteFrameResult(2, 1, KiteDecodeStatus.NoRoom, false), result);
        Assert.Equal(3, KiteTickDecoder.PacketCount(frame));
    }

    [Fact]
    public void DecodeFrame_FullPacketWithEmptyDepthAndNoTime_LeavesThemUnset()
    {
        var packet = KiteVectors.Packet(KiteVectors.FullNfo);
        packet.AsSpan(60, 124).Clear();

        Assert.Equal(1, Decode(KiteVectors.Frame(packet)).Ticks);
        Assert.Null(_ticks[0].ExchangeTime);
        Assert.False(_ticks[0].Has(TickFields.BestBid));
        Assert.False(_ticks[0].Has(TickFields.BestAsk));
    }

    [Fact]
    public void DecodeFrame_FieldsAboveInt32_AreReadUnsigned()
    {
        var packet = KiteVectors.Packet(KiteVectors.QuoteNse);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(16), 3_000_000_000);

        Decode(KiteVectors.Frame(packet));

        Assert.Equal(3_000_000_000L, _ticks[0].Volume);
    }

    [Fact]
    public void Constructor_SkipsNonNumericTokens()
    {
        var decoder = new KiteTickDecoder(new InstrumentRegistry([InstrumentKey.Parse("NSE:408065:INFY"), InstrumentKey.Parse("NSE:INFY")]));

        Assert.Equal(1, decoder.Count);
        Assert.True(decoder.TryGetInstrument(408065, out _));
    }

    [Fact]
    public void Describe_EveryProblem_IsAConstantWithoutPayload()
    {
        foreach (var status in Enum.GetValues<KiteDecodeStatus>().Where(s => s != KiteDecodeStatus.Ok))
        {
            var text = KiteTickDecoder.Describe(status);
            Assert.StartsWith("kite: ", text, StringComparison.Ordinal);
            Assert.Same(text, KiteTickDecoder.Describe(status));
        }
    }

    [Fact]
    public void DecodeFrame_SteadyState_AllocatesNothing()
    {
        var bad = KiteVectors.Packet(KiteVectors.QuoteNse);
        bad[3] = 0x02;
        var frame = KiteVectors.Frame(
            KiteVectors.Packet(KiteVectors.LtpCds),
            KiteVectors.Packet(KiteVectors.QuoteNse),
            KiteVectors.Packet(KiteVectors.FullNfo),
            KiteVectors.Packet(KiteVectors.IndexFull),
            bad);
        var heartbeat = new byte[] { 0 };
        var allocated = SteadyStateAllocations.Least(() => Run(frame, heartbeat), out var sum);

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sum);

        long Run(byte[] frame, byte[] heartbeat)
        {
            var result = _decoder.DecodeFrame(frame, Received, _ticks);
            var beat = _decoder.DecodeFrame(heartbeat, Received, _ticks);
            return result.Ticks + result.Malformed + _ticks[2].OpenInterest.GetValueOrDefault() + (beat.Heartbeat ? 1 : 0);
        }
    }
}
