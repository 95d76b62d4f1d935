namespace FeedGuard.Ticks;

/// <summary>How much each tick carries. More fields mean bigger packets and slower polling.</summary>
public enum FeedMode : byte
{
    /// <summary>Last traded price only (the default: the fastest updates).</summary>
    Ltp = 1,

    /// <summary>Price plus quantities, volume, average price and OHLC.</summary>
    Quote = 2,

    /// <summary>Quote plus open interest and market depth (SmartAPI SnapQuote, Kite full).</summary>
    Full = 3,
}
