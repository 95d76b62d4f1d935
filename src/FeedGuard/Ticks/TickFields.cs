namespace FeedGuard.Ticks;

/// <summary>Which optional fields a <see cref="Tick"/> carries.</summary>
[Flags]
public enum TickFields : ushort
{
    /// <summary>Only instrument, last price, receive time and source.</summary>
    None = 0,

    /// <summary><see cref="Tick.ExchangeTime"/> is set.</summary>
    ExchangeTime = 1 << 0,

    /// <summary><see cref="Tick.Sequence"/> is set.</summary>
    Sequence = 1 << 1,

    /// <summary><see cref="Tick.LastQuantity"/> is set.</summary>
    LastQuantity = 1 << 2,

    /// <summary><see cref="Tick.Volume"/> is set.</summary>
    Volume = 1 << 3,

    /// <summary><see cref="Tick.AveragePrice"/> is set.</summary>
    AveragePrice = 1 << 4,

    /// <summary>
    /// <see cref="Tick.TotalBuyQuantity"/> and <see cref="Tick.TotalSellQuantity"/> are both set (each
    /// can also be set alone: it is then non-null while this flag is absent).
    /// </summary>
    BuySellTotals = 1 << 5,

    /// <summary><see cref="Tick.Open"/>, <see cref="Tick.High"/>, <see cref="Tick.Low"/> and <see cref="Tick.Close"/> are set.</summary>
    Ohlc = 1 << 6,

    /// <summary><see cref="Tick.OpenInterest"/> is set.</summary>
    OpenInterest = 1 << 7,

    /// <summary><see cref="Tick.BidPrice"/> and <see cref="Tick.BidQuantity"/> are set.</summary>
    BestBid = 1 << 8,

    /// <summary><see cref="Tick.AskPrice"/> and <see cref="Tick.AskQuantity"/> are set.</summary>
    BestAsk = 1 << 9,
}
