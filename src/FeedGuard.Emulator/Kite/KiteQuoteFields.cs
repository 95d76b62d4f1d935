namespace FeedGuard.Emulator.Kite;

/// <summary>
/// The fields of a tradable instrument's quote packet after the token, in wire order (protocols
/// §2.4, offsets 4–44). Prices are integers in the segment's price unit (see
/// <see cref="KiteTickEncoder.PriceDivisor(uint)"/>).
/// </summary>
/// <param name="LastPrice">Last traded price (offset 4; also the whole ltp packet's payload).</param>
/// <param name="LastQuantity">Last traded quantity (offset 8).</param>
/// <param name="AveragePrice">Average traded price (offset 12).</param>
/// <param name="Volume">Volume traded today (offset 16).</param>
/// <param name="BuyQuantity">Total buy quantity (offset 20).</param>
/// <param name="SellQuantity">Total sell quantity (offset 24).</param>
/// <param name="Open">Day open (offset 28).</param>
/// <param name="High">Day high (offset 32).</param>
/// <param name="Low">Day low (offset 36).</param>
/// <param name="Close">Previous day's close (offset 40).</param>
public readonly record struct KiteQuoteFields(
    uint LastPrice,
    uint LastQuantity,
    uint AveragePrice,
    uint Volume,
    uint BuyQuantity,
    uint SellQuantity,
    uint Open,
    uint High,
    uint Low,
    uint Close);
