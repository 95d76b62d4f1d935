using System.Diagnostics.CodeAnalysis;

namespace FeedGuard.Instruments;

/// <summary>Parses and prints the upper-case exchange names used in keys and configuration.</summary>
public static class ExchangeNames
{
    private static readonly string[] Names = ["", "NSE", "NFO", "CDS", "BSE", "BFO", "BCD", "MCX", "MCXSX", "NCDEX"];

    /// <summary>Every exchange name this version understands, for error messages.</summary>
    public static string AllowedValues { get; } = string.Join(", ", Names.Skip(1));

    /// <summary>The upper-case name of <paramref name="exchange"/>, for example <c>NSE</c>.</summary>
    public static string ToName(this Exchange exchange)
    {
        var index = (int)exchange;
        if (index <= 0 || index >= Names.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(exchange), exchange, "Unknown exchange.");
        }

        return Names[index];
    }

    /// <summary>Parses a name such as <c>NSE</c> or <c>nfo</c> (case-insensitive).</summary>
    public static bool TryParse(ReadOnlySpan<char> name, [NotNullWhen(true)] out Exchange? exchange)
    {
        for (var i = 1; i < Names.Length; i++)
        {
            if (name.Equals(Names[i], StringComparison.OrdinalIgnoreCase))
            {
                exchange = (Exchange)i;
                return true;
            }
        }

        exchange = null;
        return false;
    }
}
