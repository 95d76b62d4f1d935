using FeedGuard.Emulator.SmartApi;

namespace FeedGuard.Emulator.Market;

/// <summary>The full state of one instrument after an update; prices in the exchange's price unit.</summary>
internal sealed record QuoteSnapshot(
    InstrumentKey Key,
    long Sequence,
    long ExchangeTimeMs,
    long LastTradedPrice,
    SmartQuoteFields Quote,
    SmartSnapQuoteFields Snap,
    SmartDepthLevel[] Bids,
    SmartDepthLevel[] Asks);
