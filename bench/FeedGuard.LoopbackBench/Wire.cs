using System.Globalization;
using FeedGuard.Instruments;

namespace FeedGuard.LoopbackBench;

/// <summary>What the blaster sends and every client expects: SmartAPI LTP packets on NSE tokens.</summary>
internal static class Wire
{
    public const int PacketSize = 51;
    public const byte NseExchangeType = 1;

    /// <summary>The last packet of a run carries this price, so every client knows the run is over.</summary>
    public const long EndMarker = 1;

    public static string Token(int i) => (1000 + i).ToString(CultureInfo.InvariantCulture);

    public static InstrumentKey[] Keys(int instruments) => [.. Enumerable.Range(0, instruments).Select(i => new InstrumentKey(Exchange.Nse, Token(i)))];
}

/// <summary>One measured situation: how many ticks, how many per WebSocket message, and how fast.</summary>
/// <param name="Name">Row label.</param>
/// <param name="Ticks">Ticks the blaster sends.</param>
/// <param name="Batch">Packets per WebSocket message (1 = SmartAPI; 64 = Kite-style frame).</param>
/// <param name="Rate">Ticks per second, or 0 for as fast as the socket takes them.</param>
/// <param name="Instruments">Distinct instruments, round-robin.</param>
internal sealed record Scenario(string Name, long Ticks, int Batch, int Rate, int Instruments)
{
    public string Query => FormattableString.Invariant($"?n={Ticks}&batch={Batch}&rate={Rate}&instruments={Instruments}");
}
