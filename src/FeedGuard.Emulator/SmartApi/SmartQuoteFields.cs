namespace FeedGuard.Emulator.SmartApi;

/// <summary>
/// The fields a SmartStream Quote packet (mode 2) adds after the 51-byte common header,
/// in wire order (protocols §1.5, offsets 51–122). Prices are integers in the exchange's
/// price unit: paise, or 10^-7 rupee for exchange type 13.
/// </summary>
/// <param name="LastTradedQuantity">Last traded quantity (offset 51).</param>
/// <param name="AverageTradedPrice">Average traded price (offset 59).</param>
/// <param name="VolumeTradedToday">Volume traded today (offset 67).</param>
/// <param name="TotalBuyQuantity">Total buy quantity, a float64 on the wire (offset 75).</param>
/// <param name="TotalSellQuantity">Total sell quantity, a float64 on the wire (offset 83).</param>
/// <param name="Open">Day open (offset 91).</param>
/// <param name="High">Day high (offset 99).</param>
/// <param name="Low">Day low (offset 107).</param>
/// <param name="Close">Previous close (offset 115).</param>
public readonly record struct SmartQuoteFields(
    long LastTradedQuantity,
    long AverageTradedPrice,
    long VolumeTradedToday,
    double TotalBuyQuantity,
    double TotalSellQuantity,
    long Open,
    long High,
    long Low,
    long Close);
