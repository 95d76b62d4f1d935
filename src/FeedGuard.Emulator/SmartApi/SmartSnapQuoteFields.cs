namespace FeedGuard.Emulator.SmartApi;

/// <summary>
/// The scalar fields a SmartStream SnapQuote packet (mode 3) adds after the Quote fields
/// (protocols §1.5, offsets 123–146 and 347–378). The best-five book is passed separately
/// as <see cref="SmartDepthLevel"/> spans.
/// </summary>
/// <param name="LastTradedTimestampSeconds">Last traded time in epoch <b>seconds</b> (offset 123).</param>
/// <param name="OpenInterest">Open interest (offset 131).</param>
/// <param name="OpenInterestChangePercent">OI change %, a float64 the real feed calls a dummy field (offset 139).</param>
/// <param name="UpperCircuit">Upper circuit limit (offset 347).</param>
/// <param name="LowerCircuit">Lower circuit limit (offset 355).</param>
/// <param name="High52Week">52-week high (offset 363).</param>
/// <param name="Low52Week">52-week low (offset 371).</param>
public readonly record struct SmartSnapQuoteFields(
    long LastTradedTimestampSeconds,
    long OpenInterest,
    double OpenInterestChangePercent,
    long UpperCircuit,
    long LowerCircuit,
    long High52Week,
    long Low52Week);
