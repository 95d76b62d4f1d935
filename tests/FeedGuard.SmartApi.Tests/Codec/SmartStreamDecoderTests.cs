using System.Buffers.Binary;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;
using FeedGuard.Testing;
using FeedGuard.Ticks;

namespace FeedGuard.SmartApi.Tests.Codec;

public class SmartStreamDecoderTests
{
    private static readonly DateTimeOffset Received = new(2023, 11, 15, 9, 0, 0, 123, TimeSpan.Zero);
    private static readonly DateTimeOffset ExchangeTime = new(2023, 11, 15, 9, 0, 0, TimeSpan.Zero);

    private static readonly InstrumentRegistry Registry = new(
    [
        new InstrumentKey(Exchange.Nse, "3045"),
        new InstrumentKey(Exchange.Nfo, "57920"),
        new InstrumentKey(Exchange.Cds, "1234"),
    ]);

    [Fact]
    public void Decode_LtpVector_GivesListedValues()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);
        Assert.Equal(51, packet.Length);

        var status = SmartStreamDecoder.Decode(packet, Registry, Received, out var tick);

        Assert.Equal(SmartStreamDecodeStatus.Ok, status);
        Assert.Same(Registry.All[0], tick.Instrument);
        Assert.Equal(TickSource.Stream, tick.Source);
        Assert.Equal(18537152L, tick.Sequence);
        Assert.Equal(ExchangeTime, tick.ExchangeTime);
        Assert.Equal(58210L, tick.LastPriceUnits);
        Assert.Equal((byte)2, tick.PriceScale);
        Assert.Equal(582.10m, tick.LastPrice);
        Assert.Equal(Received, tick.ReceiveTime);
        Assert.Equal(TickFields.ExchangeTime | TickFields.Sequence, tick.Fields);
    }

    [Fact]
    public void Decode_QuoteVector_GivesListedValues()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Quote);
        Assert.Equal(123, packet.Length);

        var status = SmartStreamDecoder.Decode(packet, Registry, Received, out var tick);

        Assert.Equal(SmartStreamDecodeStatus.Ok, status);
        Assert.Same(Registry.All[0], tick.Instrument);
        Assert.Equal(18537153L, tick.Sequence);
        Assert.Equal(ExchangeTime, tick.ExchangeTime);
        Assert.Equal(582.10m, tick.LastPrice);
        Assert.Equal(25L, tick.LastQuantity);
        Assert.Equal(580.75m, tick.AveragePrice);
        Assert.Equal(1234567L, tick.Volume);
        Assert.Equal(456789L, tick.TotalBuyQuantity);
        Assert.Equal(398765L, tick.TotalSellQuantity);
        Assert.Equal(578.00m, tick.Open);
        Assert.Equal(583.50m, tick.High);
        Assert.Equal(577.00m, tick.Low);
        Assert.Equal(576.90m, tick.Close);
        Assert.False(tick.Has(TickFields.OpenInterest));
        Assert.False(tick.Has(TickFields.BestBid));
    }

    [Fact]
    public void Decode_SnapQuoteVector_GivesListedValuesAndFirstBuySellLevels()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.SnapQuote);
        Assert.Equal(379, packet.Length);

        var status = SmartStreamDecoder.Decode(packet, Registry, Received, out var tick);

        Assert.Equal(SmartStreamDecodeStatus.Ok, status);
        Assert.Same(Registry.All[1], tick.Instrument);
        Assert.Equal(Exchange.Nfo, tick.Instrument.Exchange);
        Assert.Equal(40512L, tick.Sequence);
        Assert.Equal(ExchangeTime, tick.ExchangeTime);
        Assert.Equal(582.10m, tick.LastPrice);
        Assert.Equal(750L, tick.LastQuantity);
        Assert.Equal(580.75m, tick.AveragePrice);
        Assert.Equal(2468000L, tick.Volume);
        Assert.Equal(1234500L, tick.TotalBuyQuantity);
        Assert.Equal(987600L, tick.TotalSellQuantity);
        Assert.Equal(578.00m, tick.Open);
        Assert.Equal(583.50m, tick.High);
        Assert.Equal(577.00m, tick.Low);
        Assert.Equal(576.90m, tick.Close);
        Assert.Equal(9876543L, tick.OpenInterest);
        Assert.Equal(582.05m, tick.BidPrice);
        Assert.Equal(750L, tick.BidQuantity);
        Assert.Equal(582.15m, tick.AskPrice);
        Assert.Equal(300L, tick.AskQuantity);
    }

    [Fact]
    public void Decode_CurrencyExchangeType_UsesScaleSeven()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);
        packet[1] = 13;
        packet.AsSpan(2, 25).Clear();
        "1234"u8.CopyTo(packet.AsSpan(2));
        BinaryPrimitives.WriteInt64LittleEndian(packet.AsSpan(43), 831_225_000); // ₹83.1225

        var status = SmartStreamDecoder.Decode(packet, Registry, Received, out var tick);

        Assert.Equal(SmartStreamDecodeStatus.Ok, status);
        Assert.Equal(Exchange.Cds, tick.Instrument.Exchange);
        Assert.Equal((byte)7, tick.PriceScale);
        Assert.Equal(83.1225m, tick.LastPrice);
    }

    [Fact]
    public void Decode_ZeroSequenceAndTimestamp_LeavesThemUnset()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);
        packet.AsSpan(27, 16).Clear();

        Assert.Equal(SmartStreamDecodeStatus.Ok, SmartStreamDecoder.Decode(packet, Registry, Received, out var tick));
        Assert.Null(tick.Sequence);
        Assert.Null(tick.ExchangeTime);
    }

    [Fact]
    public void Decode_EmptyBestFiveLevels_LeavesBidAndAskUnset()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.SnapQuote);
        packet.AsSpan(147, 200).Clear();

        Assert.Equal(SmartStreamDecodeStatus.Ok, SmartStreamDecoder.Decode(packet, Registry, Received, out var tick));
        Assert.False(tick.Has(TickFields.BestBid));
        Assert.False(tick.Has(TickFields.BestAsk));
    }

    [Fact]
    public void Decode_NonIntegralTotals_OmitsTotalsButKeepsTheTick()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Quote);
        BinaryPrimitives.WriteDoubleLittleEndian(packet.AsSpan(75), double.NaN);

        Assert.Equal(SmartStreamDecodeStatus.Ok, SmartStreamDecoder.Decode(packet, Registry, Received, out var tick));
        Assert.Null(tick.TotalBuyQuantity);
        Assert.Null(tick.TotalSellQuantity);
        Assert.Equal(1234567L, tick.Volume);
    }

    [Theory]
    [InlineData(0, SmartStreamDecodeStatus.UnknownMode)]
    [InlineData(4, SmartStreamDecodeStatus.UnknownMode)]
    [InlineData(0x7B, SmartStreamDecodeStatus.UnknownMode)]
    [InlineData(2, SmartStreamDecodeStatus.WrongLength)]
    [InlineData(3, SmartStreamDecodeStatus.WrongLength)]
    public void Decode_ModeThatDoesNotFitTheLength_IsMalformed(byte mode, SmartStreamDecodeStatus expected)
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);
        packet[0] = mode;

        Assert.Equal(expected, SmartStreamDecoder.Decode(packet, Registry, Received, out var tick));
        Assert.Equal(default, tick);
    }

    [Fact]
    public void Decode_TruncatedOrExtendedPacket_IsWrongLength()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);

        Assert.Equal(SmartStreamDecodeStatus.WrongLength, SmartStreamDecoder.Decode(packet.AsSpan(0, 50), Registry, Received, out _));
        Assert.Equal(SmartStreamDecodeStatus.WrongLength, SmartStreamDecoder.Decode([.. packet, 0], Registry, Received, out _));
        Assert.Equal(SmartStreamDecodeStatus.UnknownMode, SmartStreamDecoder.Decode([], Registry, Received, out _));
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(255)]
    public void Decode_UnknownExchangeType_IsMalformed(byte exchangeType)
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);
        packet[1] = exchangeType;

        Assert.Equal(SmartStreamDecodeStatus.UnknownExchangeType, SmartStreamDecoder.Decode(packet, Registry, Received, out _));
    }

    [Fact]
    public void Decode_TokenNotSubscribedOrOnAnotherExchange_IsUnknownToken()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);
        packet[1] = 3; // BSE:3045 is not subscribed, NSE:3045 is

        Assert.Equal(SmartStreamDecodeStatus.UnknownToken, SmartStreamDecoder.Decode(packet, Registry, Received, out _));
    }

    [Fact]
    public void Decode_EmptyOrNonAsciiToken_IsBadToken()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);
        packet.AsSpan(2, 25).Clear();
        Assert.Equal(SmartStreamDecodeStatus.BadToken, SmartStreamDecoder.Decode(packet, Registry, Received, out _));

        packet[2] = 0xC3;
        packet[3] = 0xA9;
        Assert.Equal(SmartStreamDecodeStatus.BadToken, SmartStreamDecoder.Decode(packet, Registry, Received, out _));
    }

    [Fact]
    public void Decode_TimestampOutOfRange_IsMalformed()
    {
        var packet = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);
        BinaryPrimitives.WriteInt64LittleEndian(packet.AsSpan(35), long.MaxValue);
        Assert.Equal(SmartStreamDecodeStatus.BadTimestamp, SmartStreamDecoder.Decode(packet, Registry, Received, out _));

        BinaryPrimitives.WriteInt64LittleEndian(packet.AsSpan(35), -1);
        Assert.Equal(SmartStreamDecodeStatus.BadTimestamp, SmartStreamDecoder.Decode(packet, Registry, Received, out _));
    }

    [Fact]
    public void Describe_EveryFailure_IsAConstantWithoutPayload()
    {
        foreach (var status in Enum.GetValues<SmartStreamDecodeStatus>().Where(s => s != SmartStreamDecodeStatus.Ok))
        {
            var text = SmartStreamDecoder.Describe(status);
            Assert.StartsWith("smartapi: ", text, StringComparison.Ordinal);
            Assert.Same(text, SmartStreamDecoder.Describe(status));
        }
    }

    [Fact]
    public void Decode_SteadyState_AllocatesNothing()
    {
        var ltp = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);
        var quote = SmartStreamVectors.Parse(SmartStreamVectors.Quote);
        var snap = SmartStreamVectors.Parse(SmartStreamVectors.SnapQuote);
        var bad = SmartStreamVectors.Parse(SmartStreamVectors.Ltp);
        bad[1] = 3;
        var allocated = SteadyStateAllocations.Least(() => Run(ltp, quote, snap, bad), out var sum);

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sum);

        static long Run(byte[] ltp, byte[] quote, byte[] snap, byte[] bad)
        {
            SmartStreamDecoder.Decode(ltp, Registry, Received, out var a);
            SmartStreamDecoder.Decode(quote, Registry, Received, out var b);
            SmartStreamDecoder.Decode(snap, Registry, Received, out var c);
            var status = SmartStreamDecoder.Decode(bad, Registry, Received, out _);
            return a.LastPriceUnits + b.Volume.GetValueOrDefault() + c.OpenInterest.GetValueOrDefault() + (long)status;
        }
    }
}
