using System.Globalization;
using System.Net.Http.Headers;

namespace FeedGuard.Sources;

/// <summary>
/// Reads an HTTP <c>Retry-After</c> answer (delta seconds or an HTTP date) into a wait, for sources
/// that classify rate limiting. Every broker reads it the same way.
/// </summary>
public static class RetryAfterHeader
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>The wait a raw header value asks for; null when absent or unreadable; never negative, at most a day.</summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)Longest.TotalSeconds));
        }

        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Clamp(at - now)
            : null;
    }

    /// <summary>The wait a parsed response header asks for; null when absent; never negative, at most a day.</summary>
    public static TimeSpan? From(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header is null)
        {
            return null;
        }

        return header.Delta is { } delta ? Clamp(delta) : header.Date is { } date ? Clamp(date - now) : null;
    }

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Longest ? Longest : wait;
}
