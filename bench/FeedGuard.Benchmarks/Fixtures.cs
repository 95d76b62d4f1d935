using FeedGuard.Emulator.Kite;
using FeedGuard.Emulator.SmartApi;
using FeedGuard.Instruments;

namespace FeedGuard.Benchmarks;

/// <summary>
/// Shared inputs: SmartAPI packets written by the emulator's byte-exact encoder and a registry of
/// instruments with realistic NSE tokens. A broker added later (Kite) adds its own packet builder
/// here and one benchmark class beside <see cref="SmartApiDecodeBenchmarks"/>, as Kite does.
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

    /// <summary>Kite's NIFTY 50 index token (segment 9, indices).</summary>
    public const uint KiteIndexToken = 256265;

    /// <summary>Kite token of instrument <paramref name="i"/>: an NSE (segment 1) instrument_token.</summary>
    public static uint KiteToken(int i) => ((uint)(1000 + (i * 7)) << 8) | 1;

    /// <summary><paramref name="count"/> NSE instruments with Kite tokens, plus the NIFTY 50 index.</summary>
    public static InstrumentRegistry KiteRegistry(int count) =>
        new(Enumerable.Range(0, count).Select(i => new InstrumentKey(Exchange.Nse, KiteToken(i).ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Append(new InstrumentKey(Exchange.Nse, KiteIndexToken.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>
    /// One Kite packet (without its length prefix): <c>ltp</c> 8 B, <c>quote</c> 44 B and <c>full</c>
    /// 184 B for <paramref name="token"/>, <c>index</c> a 32-byte index full packet for NIFTY 50.
    /// </summary>
    public static byte[] KitePacket(string mode, uint token)
    {
        var quote = new KiteQuoteFields(304_550, 25, 304_100, 1_234_567, 5_000, 7_000, 300_000, 306_000, 299_500, 301_000);
        var seconds = (uint)(ExchangeTimeMs / 1000);
        var packet = new byte[KiteTickEncoder.FullPacketSize];
        var length = mode switch
        {
            "ltp" => KiteTickEncoder.WriteLtp(packet, token, 304_550),
            "quote" => KiteTickEncoder.WriteQuote(packet, token, quote),
            "full" => KiteTickEncoder.WriteFull(
                packet, token, quote, new KiteFullFields(seconds, 10_000, 12_000, 9_000, seconds),
                [new(100, 304_500, 3), new(200, 304_450, 5)], [new(150, 304_600, 2), new(250, 304_650, 4)]),
            "index" => KiteTickEncoder.WriteIndexFull(packet, KiteIndexToken, new KiteIndexFields(2_450_000, 2_460_000, 2_440_000, 2_445_000, 2_448_000, 2_000, seconds)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "ltp, quote, full or index"),
        };
        return packet[..length];
    }
}
