using FeedGuard.Emulator.SmartApi;
using FeedGuard.Instruments;

namespace FeedGuard.Benchmarks;

/// <summary>
/// Shared inputs: SmartAPI packets written by the emulator's byte-exact encoder and a registry of
/// instruments with realistic NSE tokens. A broker added later (Kite) adds its own packet builder
/// here and one benchmark class beside <see cref="SmartApiDecodeBenchmarks"/>.
/// </summary>
public static class Fixtures
{
    public const byte NseExchangeType = 1;

    /// <summary>Exchange time of every fixture packet: a fixed instant, so runs are repeatable.</summary>
    public static readonly long ExchangeTimeMs = new DateTimeOffset(2025, 1, 6, 4, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>Token of instrument <paramref name="i"/>: digits, like NSE cash tokens (3045, 11536 …).</summary>
    public static string Token(int i) => (1000 + (i * 7)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static InstrumentRegistry Registry(int count) =>
        new(Enumerable.Range(0, count).Select(i => new InstrumentKey(Exchange.Nse, Token(i))));

    /// <summary>One SmartStream packet of <paramref name="mode"/> (1 LTP, 2 Quote, 3 SnapQuote) for <paramref name="token"/>.</summary>
    public static byte[] SmartPacket(byte mode, string token, long sequence = 42, long ltp = 304_550)
    {
        var packet = new byte[SmartStreamEncoder.PacketSize(mode)];
        var quote = new SmartQuoteFields(25, 304_100, 1_234_567, 5_000, 7_000, 300_000, 306_000, 299_500, 301_000);
        switch (mode)
        {
            case SmartStreamEncoder.LtpMode:
                SmartStreamEncoder.WriteLtp(packet, NseExchangeType, token, sequence, ExchangeTimeMs, ltp);
                break;
            case SmartStreamEncoder.QuoteMode:
                SmartStreamEncoder.WriteQuote(packet, NseExchangeType, token, sequence, ExchangeTimeMs, ltp, quote);
                break;
            default:
                var snap = new SmartSnapQuoteFields(1_736_136_000, 0, 0, 335_000, 274_000, 350_000, 250_000);
                SmartDepthLevel[] bids = [new(100, 304_500, 3), new(200, 304_450, 5)];
                SmartDepthLevel[] asks = [new(150, 304_600, 2), new(250, 304_650, 4)];
                SmartStreamEncoder.WriteSnapQuote(packet, NseExchangeType, token, sequence, ExchangeTimeMs, ltp, quote, snap, bids, asks);
                break;
        }

        return packet;
    }
}
