namespace FeedGuard.Emulator.Kite;

/// <summary>One market-depth level of a full packet: 12 bytes on the wire, the last 2 of them zero padding (protocols §2.4).</summary>
/// <param name="Quantity">Quantity at this price.</param>
/// <param name="Price">Price in the segment's price unit.</param>
/// <param name="Orders">Number of orders at this price.</param>
public readonly record struct KiteDepthLevel(uint Quantity, uint Price, ushort Orders);
