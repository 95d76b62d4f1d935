namespace FeedGuard.Emulator.SmartApi;

/// <summary>One level of the SnapQuote best-five book (20 bytes on the wire; the buy/sell flag is written by the encoder from the level's side).</summary>
/// <param name="Quantity">Quantity at this price.</param>
/// <param name="Price">Price in the exchange's price unit (paise, or 10^-7 rupee for exchange type 13).</param>
/// <param name="Orders">Number of orders at this price.</param>
public readonly record struct SmartDepthLevel(long Quantity, long Price, short Orders);
