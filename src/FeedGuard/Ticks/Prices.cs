namespace FeedGuard.Ticks;

/// <summary>
/// Exact conversions between the scaled integers brokers send (paise, or 10^-7 rupee for currency)
/// and <see cref="decimal"/>. Prices are never <see cref="double"/>: a price that cannot be written
/// exactly at a scale is an error, not a rounding.
/// </summary>
public static class Prices
{
    /// <summary>The largest number of decimal places a tick price may carry.</summary>
    public const byte MaxScale = 9;

    /// <summary><paramref name="units"/> × 10^-<paramref name="scale"/> as a decimal, exactly and without division.</summary>
    public static decimal ToDecimal(long units, byte scale)
    {
        var negative = units < 0;
        var magnitude = negative ? (ulong)-(units + 1) + 1 : (ulong)units;
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, negative, scale);
    }

    /// <summary>
    /// Converts <paramref name="value"/> to units at <paramref name="scale"/>; false when it has more
    /// decimal places than the scale allows or does not fit in 64 bits.
    /// </summary>
    public static bool TryToUnits(decimal value, byte scale, out long units)
    {
        units = 0;
        // A value beyond 64 bits before scaling is beyond them after it too; rejecting it first keeps
        // the multiplication below from overflowing decimal (a Try method must not throw).
        if (scale > MaxScale || value > long.MaxValue || value < long.MinValue)
        {
            return false;
        }

        var scaled = value * Pow10(scale);
        if (scaled != decimal.Truncate(scaled) || scaled > long.MaxValue || scaled < long.MinValue)
        {
            return false;
        }

        units = (long)scaled;
        return true;
    }

    /// <summary>10^<paramref name="exponent"/> as a long, for 0 ≤ exponent ≤ 18.</summary>
    public static long Pow10(int exponent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(exponent, 18);
        long result = 1;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    /// <summary>
    /// The smallest scale, at least <paramref name="minimum"/>, at which every non-null price is exact
    /// (one scale per tick, so a REST answer with an extra decimal place raises the whole tick's
    /// scale). False when some price needs more than <see cref="MaxScale"/> places.
    /// </summary>
    public static bool TryFindCommonScale(byte minimum, ReadOnlySpan<decimal?> prices, out byte scale)
    {
        for (scale = minimum; scale <= MaxScale; scale++)
        {
            var fits = true;
            foreach (var price in prices)
            {
                if (price is { } value && !TryToUnits(value, scale, out _))
                {
                    fits = false;
                    break;
                }
            }

            if (fits)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="value"/> in units at <paramref name="scale"/>; throws when it is not exact there (see <see cref="TryFindCommonScale"/>).</summary>
    public static long ToUnits(decimal value, byte scale) =>
        TryToUnits(value, scale, out var units) ? units : throw new ArgumentException($"{value} is not exact at scale {scale}.", nameof(value));
}
