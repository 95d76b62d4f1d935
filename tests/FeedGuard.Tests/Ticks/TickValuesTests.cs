using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Ticks;

/// <summary>
/// The decoders' one-step tick constructor: a tick built from a <see cref="TickValues"/> bundle is
/// the same value as one built with the object initializer, and the Unix time arithmetic agrees
/// with <see cref="DateTimeOffset"/>'s own conversions.
/// </summary>
public sealed class TickValuesTests
{
    private static readonly InstrumentRegistry Registry = new([InstrumentKey.Parse("NSE:3045")]);
    private static readonly Instrument Sbin = Registry[0];
    private static readonly DateTimeOffset Received = new(2026, 11, 23, 4, 30, 0, 125, TimeSpan.Zero);
    private static readonly DateTimeOffset Stamped = new(2026, 11, 23, 4, 30, 0, 100, TimeSpan.Zero);

    [Fact]
    public void Constructor_EveryField_EqualsTheInitializerBuiltTick()
    {
        var values = new TickValues
        {
            Fields = TickFields.ExchangeTime | TickFields.Sequence | TickFields.LastQuantity | TickFields.Volume | TickFields.AveragePrice
                | TickFields.BuySellTotals | TickFields.Ohlc | TickFields.OpenInterest | TickFields.BestBid | TickFields.BestAsk,
            ExchangeTimeUtcTicks = Stamped.UtcTicks,
            Sequence = 7,
            LastQuantity = 25,
            Volume = 1200,
            AveragePriceUnits = 304000,
            TotalBuyQuantity = 500,
            TotalSellQuantity = 600,
            OpenUnits = 300000,
            HighUnits = 306000,
            LowUnits = 299000,
            CloseUnits = 301000,
            OpenInterest = 42,
            BidPriceUnits = 304500,
            BidQuantity = 10,
            AskPriceUnits = 304600,
            AskQuantity = 11,
        };
        var expected = new Tick(Sbin, TickSource.Stream, 304550, 2, Received)
        {
            ExchangeTime = Stamped,
            Sequence = 7,
            LastQuantity = 25,
            Volume = 1200,
            AveragePriceUnits = 304000,
            TotalBuyQuantity = 500,
            TotalSellQuantity = 600,
            OpenUnits = 300000,
            HighUnits = 306000,
            LowUnits = 299000,
            CloseUnits = 301000,
            OpenInterest = 42,
            BidPriceUnits = 304500,
            BidQuantity = 10,
            AskPriceUnits = 304600,
            AskQuantity = 11,
        };

        var tick = new Tick(Sbin, TickSource.Stream, 304550, 2, Received.UtcTicks, in values);

        Assert.Equal(expected, tick);
        Assert.Equal(500, tick.TotalBuyQuantity);
        Assert.Equal(600, tick.TotalSellQuantity);
        Assert.Equal(Stamped, tick.ExchangeTime);
    }

    [Fact]
    public void Constructor_NoFields_EqualsTheRequiredFieldsTick()
    {
        var tick = new Tick(Sbin, TickSource.Poll, 304550, 2, Received.UtcTicks, new TickValues());

        Assert.Equal(new Tick(Sbin, TickSource.Poll, 304550, 2, Received), tick);
        Assert.Null(tick.TotalBuyQuantity);
        Assert.Null(tick.ExchangeTime);
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new Tick(null!, TickSource.Stream, 1, 2, 0, new TickValues()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tick(Sbin, TickSource.Stream, 1, Prices.MaxScale + 1, 0, new TickValues()));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1_764_000_000u)]
    [InlineData(uint.MaxValue)]
    public void UnixSeconds_MatchesDateTimeOffset(uint seconds)
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds).UtcTicks, TickValues.UnixSecondsToUtcTicks(seconds));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1_764_000_000_123L)]
    [InlineData(253_402_300_799_999L)]
    public void UnixMilliseconds_MatchesDateTimeOffset(long milliseconds)
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcTicks, TickValues.UnixMillisecondsToUtcTicks(milliseconds));
    }
}
