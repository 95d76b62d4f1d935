namespace FeedGuard.Emulator.Market;

/// <summary>
/// One well-formed tick packet the emulator wrote to a socket, as recorded in the bounded
/// per-instrument sent log (<see cref="BrokerEmulator.GetSentTicks"/>). Malformed, truncated
/// and muted packets are not recorded here; they are counted in <see cref="EmulatorCounters"/>.
/// </summary>
/// <param name="ConnectionId">The emulator's id of the socket the packet went to.</param>
/// <param name="Mode">Subscription mode (1 LTP, 2 Quote, 3 SnapQuote).</param>
/// <param name="ExchangeType">Exchange type code.</param>
/// <param name="Token">Exchange token.</param>
/// <param name="Sequence">Per-token sequence number written in the packet.</param>
/// <param name="ExchangeTimeMs">Exchange timestamp written in the packet, epoch milliseconds.</param>
/// <param name="LastTradedPrice">Last traded price written in the packet (paise, or 10^-7 rupee for exchange type 13).</param>
public readonly record struct SentTick(
    long ConnectionId,
    byte Mode,
    byte ExchangeType,
    string Token,
    long Sequence,
    long ExchangeTimeMs,
    long LastTradedPrice);
