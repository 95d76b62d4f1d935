using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Ticks;

/// <summary>The unified tick: exact prices, optional fields that are null unless a source set them, value equality.</summary>
public sealed class TickTests
{
    private static readonly InstrumentRegistry Registry = new([InstrumentKey.Parse("NSE:3045"), InstrumentKey.Parse("NSE:2885")]);
    private static readonly Instrument Sbin = Registry[0];
    private static readonly Instrument Reliance = Registry[1];
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 4, 30, 0, 125, TimeSpan.Zero);
    private static readonly DateTimeOffset Stamped = new(2026, 11, 23, 4, 30, 0, 100, TimeSpan.Zero);

    [Fact]
    public void Constructor_RequiredFields_AreReadBack()
    {
        var tick = new Tick(Sbin, TickSource.Poll, 304550, 2, Received.ToOffset(TimeSpan.FromHours(5.5)));

        Assert.Same(Sbin, tick.Instrument);
        Assert.Equal(TickSource.Poll, tick.Source);
        Assert.Equal(304550, tick.LastPriceUnits);
        Assert.Equal(2, tick.PriceScale);
        Assert.Equal(3045.50m, tick.LastPrice);
        Assert.Equal(Received.UtcTicks, tick.ReceiveTimeUtcTicks);
        Assert.Equal(Received, tick.ReceiveTime);
        Assert.Equal(TimeSpan.Zero, tick.ReceiveTime.Offset);
    }

    [Theory]
    [InlineData(-304550L, 2, "-3045.50")]
    [InlineData(3045L, 0, "3045")]
    [InlineData(825000L, 7, "0.0825000")]
    [InlineData(long.MinValue, 9, "-9223372036.854775808")]
    public void LastPrice_AnyScale_IsExact(long units, byte scale, string expected)
    {
        var tick = new Tick(Sbin, TickSource.Stream, units, scale, Received);

        Assert.Equal(expected, tick.LastPrice.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Tick_IsPlainData_SoCopiesNeedNoWriteBarrierAndTickArraysAreNotScanned()
    {
        // The ingest path copies every tick into windows and rings; a reference inside would make each
        // copy a GC write barrier plus a slow block move, and every buffer part of each collection's work.
        Assert.False(System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<Tick>());
    }

    [Fact]
    public void Instrument_SameKeyInTwoRegistries_TicksNameTheirOwnInstanceAndAreNotEqual()
    {
        var other = new InstrumentRegistry([InstrumentKey.Parse("NSE:3045")])[0];
        var mine = new Tick(Sbin, TickSource.Stream, 304550, 2, Received);
        var theirs = new Tick(other, TickSource.Stream, 304550, 2, Received);

        Assert.Same(Sbin, mine.Instrument);
        Assert.Same(other, theirs.Instrument);
        Assert.NotEqual(mine, theirs);
        Assert.False(mine.HasSameMarketDataAs(theirs));
        Assert.Null(default(Tick).Instrument);
    }

    [Fact]
    public void Constructor_ScaleAboveMax_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tick(Sbin, TickSource.Stream, 1, Prices.MaxScale + 1, Received));
    }

    [Fact]
    public void Constructor_NullInstrument_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new Tick(null!, TickSource.Stream, 1, 2, Received));
    }

    [Fact]
    public void OptionalFields_NotSet_AreNullAndNotFlagged()
    {
        var tick = new Tick(Sbin, TickSource.Stream, 304550, 2, Received);

        Assert.Equal(TickFields.None, tick.Fields);
        Assert.Null(tick.ExchangeTime);
        Assert.Equal(0, tick.ExchangeTimeUtcTicks);
        Assert.Null(tick.Sequence);
        Assert.Null(tick.LastQuantity);
        Assert.Null(tick.Volume);
        Assert.Null(tick.AveragePrice);
        Assert.Null(tick.TotalBuyQuantity);
        Assert.Null(tick.TotalSellQuantity);
        Assert.Null(tick.Open);
        Assert.Null(tick.High);
        Assert.Null(tick.Low);
        Assert.Null(tick.Close);
        Assert.Null(tick.OpenInterest);
        Assert.Null(tick.BidPrice);
        Assert.Null(tick.AskPrice);
    }

    [Fact]
    public void OptionalFields_AllSet_AreReadBackAndFlagged()
    {
        var tick = new Tick(Sbin, TickSource.Stream, 304550, 2, Received)
        {
            ExchangeTime = Stamped,
            Sequence = 42,
            LastQuantity = 10,
            Volume = 123_456,
            AveragePriceUnits = 304012,
            TotalBuyQuantity = 5000,
            TotalSellQuantity = 6000,
            OpenUnits = 300000,
            HighUnits = 306000,
            LowUnits = 299505,
            CloseUnits = 301020,
            OpenInterest = 77,
            BidPriceUnits = 304545,
            BidQuantity = 15,
            AskPriceUnits = 304555,
            AskQuantity = 25,
        };

        Assert.Equal(Stamped, tick.ExchangeTime);
        Assert.Equal(42, tick.Sequence);
        Assert.Equal(10, tick.LastQuantity);
        Assert.Equal(123_456, tick.Volume);
        Assert.Equal(3040.12m, tick.AveragePrice);
        Assert.Equal(5000, tick.TotalBuyQuantity);
        Assert.Equal(6000, tick.TotalSellQuantity);
        Assert.Equal((3000.00m, 3060.00m, 2995.05m, 3010.20m), (tick.Open, tick.High, tick.Low, tick.Close));
        Assert.Equal(77, tick.OpenInterest);
        Assert.Equal((3045.45m, 15L), (tick.BidPrice, tick.BidQuantity));
        Assert.Equal((3045.55m, 25L), (tick.AskPrice, tick.AskQuantity));
        var all = TickFields.ExchangeTime | TickFields.Sequence | TickFields.LastQuantity | TickFields.Volume | TickFields.AveragePrice
            | TickFields.BuySellTotals | TickFields.Ohlc | TickFields.OpenInterest | TickFields.BestBid | TickFields.BestAsk;
        Assert.Equal(all, tick.Fields);
    }

    public static TheoryData<Func<Tick, Tick>, TickFields> SingleFields() => new()
    {
        { t => t with { ExchangeTime = Stamped }, TickFields.ExchangeTime },
        { t => t with { Sequence = 0 }, TickFields.Sequence },
        { t => t with { LastQuantity = 0 }, TickFields.LastQuantity },
        { t => t with { Volume = 0 }, TickFields.Volume },
        { t => t with { AveragePriceUnits = 0 }, TickFields.AveragePrice },
        { t => t with { OpenInterest = 0 }, TickFields.OpenInterest },
        { t => t with { TotalBuyQuantity = 0, TotalSellQuantity = 0 }, TickFields.BuySellTotals },
        { t => t with { HighUnits = 0 }, TickFields.Ohlc },
        { t => t with { BidQuantity = 0 }, TickFields.BestBid },
        { t => t with { AskPriceUnits = 0 }, TickFields.BestAsk },
    };

    [Theory]
    [MemberData(nameof(SingleFields))]
    public void Fields_OneFieldSetToZero_IsFlaggedAloneAndPresent(Func<Tick, Tick> set, TickFields expected)
    {
        var tick = set(new Tick(Sbin, TickSource.Stream, 304550, 2, Received));

        Assert.Equal(expected, tick.Fields);
        Assert.True(tick.Has(expected));
        Assert.False(tick.Has(expected | TickFields.OpenInterest | TickFields.ExchangeTime));
    }

    [Fact]
    public void OptionalFields_SetToZero_ReadAsZeroNotNull()
    {
        var tick = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { Volume = 0, Sequence = 0, BidPriceUnits = 0 };

        Assert.Equal(0, tick.Volume);
        Assert.Equal(0, tick.Sequence);
        Assert.Equal(0m, tick.BidPrice);
    }

    [Fact]
    public void OptionalFields_SetToNull_AreClearedAndUnflagged()
    {
        var full = new Tick(Sbin, TickSource.Stream, 304550, 2, Received)
        {
            ExchangeTime = Stamped,
            Sequence = 42,
            LastQuantity = 10,
            Volume = 100,
            OpenInterest = 77,
            TotalBuyQuantity = 5,
            TotalSellQuantity = 6,
        };

        var cleared = full with { ExchangeTime = null, Sequence = null, LastQuantity = null, Volume = null, OpenInterest = null, TotalBuyQuantity = null, TotalSellQuantity = null };

        Assert.Equal(TickFields.None, cleared.Fields);
        Assert.Null(cleared.ExchangeTime);
        Assert.Equal(0, cleared.ExchangeTimeUtcTicks);
        Assert.Null(cleared.Sequence);
        Assert.Null(cleared.LastQuantity);
        Assert.Null(cleared.Volume);
        Assert.Null(cleared.OpenInterest);
        Assert.Null(cleared.TotalBuyQuantity);
        Assert.Null(cleared.TotalSellQuantity);
        Assert.Equal(new Tick(Sbin, TickSource.Stream, 304550, 2, Received), cleared);
    }

    [Fact]
    public void TotalBuyQuantity_SetAlone_SellQuantityStaysUnknown()
    {
        var tick = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { TotalBuyQuantity = 5000 };

        Assert.Equal(5000, tick.TotalBuyQuantity);
        Assert.Null(tick.TotalSellQuantity);
        Assert.False(tick.Has(TickFields.BuySellTotals));
    }

    [Fact]
    public void TotalSellQuantity_SetToNullAfterBuy_KeepsTheBuyQuantity()
    {
        // A codec that copies an absent sell total as null must not lose the buy total it just set.
        var tick = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { TotalBuyQuantity = 5000, TotalSellQuantity = null };

        Assert.Equal(5000, tick.TotalBuyQuantity);
        Assert.Null(tick.TotalSellQuantity);
    }

    [Fact]
    public void TotalBuyQuantity_SetToNullBeforeSell_KeepsTheSellQuantity()
    {
        var tick = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { TotalBuyQuantity = null, TotalSellQuantity = 6000 };

        Assert.Null(tick.TotalBuyQuantity);
        Assert.Equal(6000, tick.TotalSellQuantity);
    }

    [Fact]
    public void ExchangeTime_GivenInIst_IsTheSameInstantInUtc()
    {
        var ist = Stamped.ToOffset(TimeSpan.FromHours(5.5));

        var tick = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { ExchangeTime = ist };

        Assert.Equal(Stamped.UtcTicks, tick.ExchangeTimeUtcTicks);
        Assert.Equal(TimeSpan.Zero, tick.ExchangeTime!.Value.Offset);
        Assert.Equal(ist, tick.ExchangeTime);
    }

    [Fact]
    public void Prices_AtScaleSeven_UseTheTicksScale()
    {
        var tick = new Tick(Sbin, TickSource.Stream, 832_512_500, 7, Received) { BidPriceUnits = 832_500_000, AskPriceUnits = 832_525_000, AveragePriceUnits = 832_400_100 };

        Assert.Equal(83.25125m, tick.LastPrice);
        Assert.Equal(83.25m, tick.BidPrice);
        Assert.Equal(83.2525m, tick.AskPrice);
        Assert.Equal(83.24001m, tick.AveragePrice);
    }

    [Fact]
    public void HasSameMarketDataAs_SamePriceFromAnotherSourceAndTime_IsTrue()
    {
        var stream = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { ExchangeTime = Stamped, Sequence = 9 };
        var poll = new Tick(Sbin, TickSource.Poll, 304550, 2, Received.AddSeconds(1)) { ExchangeTime = Stamped.AddSeconds(-1) };

        Assert.True(stream.HasSameMarketDataAs(poll));
        Assert.True(poll.HasSameMarketDataAs(stream));
    }

    [Fact]
    public void HasSameMarketDataAs_SamePriceAtAnotherScale_IsTrue()
    {
        var paise = new Tick(Sbin, TickSource.Stream, 304550, 2, Received);
        var fine = new Tick(Sbin, TickSource.Poll, 30455000, 4, Received);

        Assert.True(paise.HasSameMarketDataAs(fine));
    }

    [Fact]
    public void HasSameMarketDataAs_DifferentPrice_IsFalse()
    {
        var a = new Tick(Sbin, TickSource.Stream, 304550, 2, Received);
        var b = new Tick(Sbin, TickSource.Stream, 304555, 2, Received);

        Assert.False(a.HasSameMarketDataAs(b));
    }

    [Fact]
    public void HasSameMarketDataAs_OtherInstrument_IsFalse()
    {
        var a = new Tick(Sbin, TickSource.Stream, 304550, 2, Received);
        var b = new Tick(Reliance, TickSource.Stream, 304550, 2, Received);

        Assert.False(a.HasSameMarketDataAs(b));
    }

    [Fact]
    public void HasSameMarketDataAs_SameKeyFromAnotherRegistry_IsFalse()
    {
        var other = new InstrumentRegistry([InstrumentKey.Parse("NSE:3045")]);
        var a = new Tick(Sbin, TickSource.Stream, 304550, 2, Received);
        var b = new Tick(other[0], TickSource.Stream, 304550, 2, Received);

        Assert.False(a.HasSameMarketDataAs(b));
    }

    [Fact]
    public void HasSameMarketDataAs_VolumeDiffersWhereBothCarryIt_IsFalse()
    {
        var a = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { Volume = 1000 };
        var b = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { Volume = 1010 };

        Assert.False(a.HasSameMarketDataAs(b));
    }

    [Fact]
    public void HasSameMarketDataAs_LastQuantityDiffersWhereBothCarryIt_IsFalse()
    {
        var a = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { LastQuantity = 10 };
        var b = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { LastQuantity = 11 };

        Assert.False(a.HasSameMarketDataAs(b));
    }

    [Fact]
    public void HasSameMarketDataAs_VolumeOnOneSideOnly_IsTrue()
    {
        var quote = new Tick(Sbin, TickSource.Stream, 304550, 2, Received) { Volume = 1000, LastQuantity = 5 };
        var ltp = new Tick(Sbin, TickSource.Poll, 304550, 2, Received);

        Assert.True(quote.HasSameMarketDataAs(ltp));
        Assert.True(ltp.HasSameMarketDataAs(quote));
    }

    [Fact]
    public void Equals_SameEverything_IsEqualWithEqualHash()
    {
        var a = Full();
        var b = Full();

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals((object)b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    public static TheoryData<Func<Tick, Tick>> OneDifference() =>
    [
        t => new Tick(t.Instrument, TickSource.Poll, t.LastPriceUnits, t.PriceScale, t.ReceiveTime) { ExchangeTime = t.ExchangeTime, Sequence = t.Sequence, Volume = t.Volume, AskQuantity = t.AskQuantity },
        t => t with { ExchangeTime = Stamped.AddTicks(1) },
        t => t with { Sequence = 43 },
        t => t with { Volume = null },
        t => t with { Volume = 0 },
        t => t with { AskQuantity = 26 },
        t => t with { LastQuantity = 0 },
        t => t with { OpenInterest = 1 },
        t => t with { LowUnits = 0 },
        t => t with { TotalBuyQuantity = 0 },
        t => new Tick(Reliance, t.Source, t.LastPriceUnits, t.PriceScale, t.ReceiveTime) { ExchangeTime = t.ExchangeTime, Sequence = t.Sequence, Volume = t.Volume, AskQuantity = t.AskQuantity },
        t => new Tick(t.Instrument, t.Source, t.LastPriceUnits, t.PriceScale, t.ReceiveTime.AddTicks(1)) { ExchangeTime = t.ExchangeTime, Sequence = t.Sequence, Volume = t.Volume, AskQuantity = t.AskQuantity },
        t => new Tick(t.Instrument, t.Source, t.LastPriceUnits + 1, t.PriceScale, t.ReceiveTime) { ExchangeTime = t.ExchangeTime, Sequence = t.Sequence, Volume = t.Volume, AskQuantity = t.AskQuantity },
    ];

    [Theory]
    [MemberData(nameof(OneDifference))]
    public void Equals_OneFieldDiffers_IsNotEqual(Func<Tick, Tick> change)
    {
        var a = Full();
        var b = change(a);

        Assert.NotEqual(a, b);
        Assert.False(a == b);
        Assert.True(a != b);
        Assert.False(a.Equals((object)b));
    }

    [Fact]
    public void Equals_SamePriceWrittenAtAnotherScale_IsNotEqualButSameMarketData()
    {
        var paise = new Tick(Sbin, TickSource.Stream, 304550, 2, Received);
        var fine = new Tick(Sbin, TickSource.Stream, 30455000, 4, Received);

        Assert.NotEqual(paise, fine);
        Assert.True(paise.HasSameMarketDataAs(fine));
    }

    [Fact]
    public void Equals_OtherType_IsFalse()
    {
        Assert.False(Full().Equals("NSE:3045"));
        Assert.False(Full().Equals(null));
    }

    [Fact]
    public void ToString_NamesInstrumentPriceSourceAndTimes()
    {
        var text = Full().ToString();

        Assert.Contains("NSE:3045", text, StringComparison.Ordinal);
        Assert.Contains("3045.50", text, StringComparison.Ordinal);
        Assert.Contains("Stream", text, StringComparison.Ordinal);
        Assert.Contains("2026-11-23T04:30:00.1000000+00:00", text, StringComparison.Ordinal);
        Assert.Contains("seq=42", text, StringComparison.Ordinal);
    }

    private static Tick Full() => new(Sbin, TickSource.Stream, 304550, 2, Received)
    {
        ExchangeTime = Stamped,
        Sequence = 42,
        Volume = 1000,
        AskQuantity = 25,
    };
}
