namespace FeedGuard.Emulator.Kite;

/// <summary>
/// The fields of an index packet (segment 9) after the token, in wire order (protocols §2.4):
/// note the order last, high, low, open, close, which differs from tradable packets.
/// </summary>
/// <param name="LastPrice">Last price (offset 4).</param>
/// <param name="High">Day high (offset 8).</param>
/// <param name="Low">Day low (offset 12).</param>
/// <param name="Open">Day open (offset 16).</param>
/// <param name="Close">Previous close (offset 20).</param>
/// <param name="Change">Last minus close in price units, <b>signed</b> (offset 24).</param>
/// <param name="ExchangeTimestamp">Exchange timestamp, Unix seconds (offset 28; full packets only).</param>
public readonly record struct KiteIndexFields(
    uint LastPrice,
    uint High,
    uint Low,
    uint Open,
    uint Close,
    int Change,
    uint ExchangeTimestamp);
