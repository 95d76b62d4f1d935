using System.Globalization;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Ticks;

/// <summary>Prices are exact: the scaled integers brokers send become decimals without rounding, and back.</summary>
public sealed class PricesTests
{
    [Theory]
    [InlineData(304550L, 2, "3045.50")]
    [InlineData(-304550L, 2, "-3045.50")]
    [InlineData(5L, 2, "0.05")]
    [InlineData(-5L, 2, "-0.05")]
    [InlineData(0L, 2, "0.00")]
    [InlineData(3045L, 0, "3045")]
    [InlineData(-3045L, 0, "-3045")]
    [InlineData(825000L, 7, "0.0825000")]
    [InlineData(-1L, 7, "-0.0000001")]
    [InlineData(1L, 9, "0.000000001")]
    [InlineData(long.MaxValue, 0, "9223372036854775807")]
    [InlineData(long.MinValue, 0, "-9223372036854775808")]
    [InlineData(long.MaxValue, 2, "92233720368547758.07")]
    [InlineData(long.MinValue, 2, "-92233720368547758.08")]
    [InlineData(long.MaxValue, 9, "9223372036.854775807")]
    [InlineData(long.MinValue, 9, "-9223372036.854775808")]
    public void ToDecimal_UnitsAtScale_IsExactWithThatManyDecimalPlaces(long units, byte scale, string expected)
    {
        var value = Prices.ToDecimal(units, scale);

        Assert.Equal(expected, value.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("3045.5", 2, 304550L)]
    [InlineData("3045.50", 2, 304550L)]
    [InlineData("3045.500000", 2, 304550L)]
    [InlineData("-0.05", 2, -5L)]
    [InlineData("0", 2, 0L)]
    [InlineData("3045", 0, 3045L)]
    [InlineData("0.0825", 7, 825000L)]
    [InlineData("0.000000001", 9, 1L)]
    [InlineData("92233720368547758.07", 2, long.MaxValue)]
    [InlineData("-92233720368547758.08", 2, long.MinValue)]
    [InlineData("9223372036.854775807", 9, long.MaxValue)]
    [InlineData("-9223372036.854775808", 9, long.MinValue)]
    public void TryToUnits_ValueThatFitsTheScale_GivesExactUnits(string value, byte scale, long expected)
    {
        Assert.True(Prices.TryToUnits(decimal.Parse(value, CultureInfo.InvariantCulture), scale, out var units));
        Assert.Equal(expected, units);
    }

    [Theory]
    [InlineData("3045.505", 2)]
    [InlineData("0.001", 2)]
    [InlineData("-0.051", 2)]
    [InlineData("3045.5", 0)]
    [InlineData("0.0000000001", 9)]
    public void TryToUnits_MoreDecimalPlacesThanTheScale_IsRejectedNotRounded(string value, byte scale)
    {
        Assert.False(Prices.TryToUnits(decimal.Parse(value, CultureInfo.InvariantCulture), scale, out var units));
        Assert.Equal(0, units);
    }

    [Theory]
    [InlineData("92233720368547758.08", 2)]
    [InlineData("-92233720368547758.09", 2)]
    [InlineData("9223372036854775808", 0)]
    [InlineData("9223372036.854775808", 9)]
    [InlineData("79228162514264337593543950335", 0)]
    [InlineData("79228162514264337593543950335", 2)]
    [InlineData("-79228162514264337593543950335", 9)]
    [InlineData("7922816251426433759354395033.5", 9)]
    public void TryToUnits_ValueBeyondSixtyFourBits_IsRejected(string value, byte scale)
    {
        Assert.False(Prices.TryToUnits(decimal.Parse(value, CultureInfo.InvariantCulture), scale, out _));
    }

    [Fact]
    public void TryToUnits_ScaleAboveMax_IsRejected()
    {
        Assert.False(Prices.TryToUnits(1m, Prices.MaxScale + 1, out _));
    }

    [Theory]
    [InlineData(304550L, 2)]
    [InlineData(-1L, 9)]
    [InlineData(long.MinValue, 4)]
    [InlineData(long.MaxValue, 7)]
    public void TryToUnits_OfToDecimal_RoundTrips(long units, byte scale)
    {
        Assert.True(Prices.TryToUnits(Prices.ToDecimal(units, scale), scale, out var back));
        Assert.Equal(units, back);
    }

    [Theory]
    [InlineData(0, 1L)]
    [InlineData(2, 100L)]
    [InlineData(9, 1_000_000_000L)]
    [InlineData(18, 1_000_000_000_000_000_000L)]
    public void Pow10_InRange_IsExact(int exponent, long expected)
    {
        Assert.Equal(expected, Prices.Pow10(exponent));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(19)]
    public void Pow10_OutOfRange_Throws(int exponent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Prices.Pow10(exponent));
    }

    [Fact]
    public void TryFindCommonScale_RaisesTheScaleOnlyAsFarAsTheMostPreciseNeeds()
    {
        Assert.True(Prices.TryFindCommonScale(2, [1074.35m, null, 1074.3525m], out var scale));
        Assert.Equal(4, scale);
        Assert.True(Prices.TryFindCommonScale(2, [1m, 2.5m], out scale));
        Assert.Equal(2, scale);
        Assert.False(Prices.TryFindCommonScale(2, [0.0000000001m], out _));
    }

    [Fact]
    public void ToUnits_InexactAtScale_Throws()
    {
        Assert.Equal(107435, Prices.ToUnits(1074.35m, 2));
        Assert.Throws<ArgumentException>(() => Prices.ToUnits(1074.355m, 2));
    }
}
