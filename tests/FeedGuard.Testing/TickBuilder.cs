using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Testing;

/// <summary>Short ways to make ticks in tests. Prices are rupees; they are stored in paise.</summary>
public static class TickBuilder
{
    /// <summary>A tick at <paramref name="price"/> rupees with an exchange time and, optionally, a sequence number.</summary>
    public static Tick Make(Instrument instrument, TickSource source, decimal price, DateTimeOffset receivedAt, DateTimeOffset? exchangeTime = null, long? sequence = null, long? volume = null)
    {
        if (!Prices.TryToUnits(price, 2, out var units))
        {
            throw new ArgumentException($"{price} is not a whole number of paise.", nameof(price));
        }

        return new Tick(instrument, source, units, 2, receivedAt) { ExchangeTime = exchangeTime, Sequence = sequence, Volume = volume };
    }

    /// <summary>A stream tick stamped by the exchange at the receive time.</summary>
    public static Tick Stream(Instrument instrument, decimal price, DateTimeOffset at, long? sequence = null) =>
        Make(instrument, TickSource.Stream, price, at, at, sequence);

    /// <summary>A poll tick stamped by the exchange at the receive time, truncated to whole seconds as REST does.</summary>
    public static Tick Poll(Instrument instrument, decimal price, DateTimeOffset at) =>
        Make(instrument, TickSource.Poll, price, at, new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
}
