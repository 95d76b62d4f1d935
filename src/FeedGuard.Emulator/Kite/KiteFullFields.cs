namespace FeedGuard.Emulator.Kite;

/// <summary>The scalar fields a full packet adds after the quote fields (protocols §2.4, offsets 44–64).</summary>
/// <param name="LastTradeTime">Last traded time, Unix seconds (offset 44).</param>
/// <param name="OpenInterest">Open interest (offset 48).</param>
/// <param name="OpenInterestDayHigh">Open interest day high (offset 52).</param>
/// <param name="OpenInterestDayLow">Open interest day low (offset 56).</param>
/// <param name="ExchangeTimestamp">Exchange timestamp, Unix seconds (offset 60).</param>
public readonly record struct KiteFullFields(
    uint LastTradeTime,
    uint OpenInterest,
    uint OpenInterestDayHigh,
    uint OpenInterestDayLow,
    uint ExchangeTimestamp);
