using FeedGuard.Instruments;
using FeedGuard.Sources.Rest;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Sources.Rest;

public sealed class PolledQuoteTests
{
    private static readonly Instrument Sbin = new InstrumentRegistry([InstrumentKey.Parse("NSE:3045")])[0];
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 4, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryToTick_FullQuote_CarriesEveryFieldAtTheWireScale()
    {
        var quote = new PolledQuote
        {
            LastPrice = 582.10m,
            Open = 580m,
            High = 590.5m,
            Low = 575.25m,
            Close = 579.9m,
            AveragePrice = 583.33m,
            BidPrice = 582.05m,
            BidQuantity = 10,
            AskPrice = 582.15m,
            AskQuantity = 20,
            TotalBuyQuantity = 1000,
            TotalSellQuantity = 2000,
            LastQuantity = 5,
            Volume = 123456,
            OpenInterest = 7,
            ExchangeTime = Received.AddSeconds(-1),
        };

        Assert.True(quote.TryToTick(Sbin, 2, Received, out var tick, out _));

        Assert.Equal(TickSource.Poll, tick.Source);
        Assert.Equal((byte)2, tick.PriceScale);
        Assert.Equal(58210, tick.LastPriceUnits);
        Assert.Equal((580m, 590.5m, 575.25m, 579.9m), (tick.Open!.Value, tick.High!.Value, tick.Low!.Value, tick.Close!.Value));
        Assert.Equal(583.33m, tick.AveragePrice);
        Assert.Equal((582.05m, 10L, 582.15m, 20L), (tick.BidPrice!.Value, tick.BidQuantity, tick.AskPrice!.Value, tick.AskQuantity));
        Assert.Equal((1000L, 2000L, 5L, 123456L, 7L), (tick.TotalBuyQuantity, tick.TotalSellQuantity, tick.LastQuantity, tick.Volume, tick.OpenInterest));
        Assert.Equal(Received.AddSeconds(-1), tick.ExchangeTime);
        Assert.Equal(Received, tick.ReceiveTime);
    }

    [Fact]
    public void TryToTick_APriceWithMorePlaces_RaisesTheScaleForEveryPrice()
    {
        var quote = new PolledQuote { LastPrice = 582.105m, Open = 580m, High = 590m, Low = 575m, Close = 579m };

        Assert.True(quote.TryToTick(Sbin, 2, Received, out var tick, out _));

        Assert.Equal((byte)3, tick.PriceScale);
        Assert.Equal(582105, tick.LastPriceUnits);
        Assert.Equal(580000, tick.OpenUnits);
        Assert.Equal(580m, tick.Open);
    }

    [Fact]
    public void TryToTick_PartialOhlcOrEmptyBestLevels_AreLeftOut()
    {
        var quote = new PolledQuote { LastPrice = 10m, Open = 9m, High = 11m, BidPrice = 9.5m, BidQuantity = 0, AskPrice = 10.5m, TotalBuyQuantity = 5 };

        Assert.True(quote.TryToTick(Sbin, 2, Received, out var tick, out _));

        Assert.Null(tick.Open);
        Assert.Null(tick.BidPrice);
        Assert.Null(tick.AskPrice);
        Assert.Null(tick.TotalBuyQuantity);
    }

    [Fact]
    public void TryToTick_PriceNoTickCanCarry_IsRefusedWithAReason()
    {
        var quote = new PolledQuote { LastPrice = 1.000000000000000001m };

        Assert.False(quote.TryToTick(Sbin, 2, Received, out _, out var problem));
        Assert.Equal("a price in the quote has more decimal places than a tick can carry", problem);
    }

    [Theory]
    [InlineData("2021-06-08 15:45:56", "yyyy-MM-dd HH:mm:ss")]
    [InlineData("08-Jun-2021 15:45:56", "dd-MMM-yyyy HH:mm:ss")]
    public void ParseIst_ReadsIndiaStandardTime(string text, string format) =>
        Assert.Equal(new DateTimeOffset(2021, 6, 8, 10, 15, 56, TimeSpan.Zero), PolledQuote.ParseIst(text, format));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    public void ParseIst_AbsentOrUnreadable_IsNull(string? text) =>
        Assert.Null(PolledQuote.ParseIst(text, "yyyy-MM-dd HH:mm:ss"));
}
