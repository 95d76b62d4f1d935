using FeedGuard.Emulator.SmartApi;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>The encoder against protocols §5.1–5.3, byte for byte.</summary>
public sealed class SmartStreamEncoderTests
{
    private const long Ts = 1700038800000;

    private static readonly SmartQuoteFields Quote52 = new(25, 58075, 1234567, 456789.0, 398765.0, 57800, 58350, 57700, 57690);

    internal static byte[] Hex(string dump) =>
        Convert.FromHexString(string.Concat(dump.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Replace(" ", "", StringComparison.Ordinal).Trim())));

    [Fact]
    public void WriteLtp_Vector51_MatchesEveryByte()
    {
        var expected = Hex("""
            0000: 01 01 33 30 34 35 00 00 00 00 00 00 00 00 00 00
            0010: 00 00 00 00 00 00 00 00 00 00 00 c0 da 1a 01 00
            0020: 00 00 00 80 72 35 d2 8b 01 00 00 62 e3 00 00 00
            0030: 00 00 00
            """);
        var buffer = new byte[64];
        buffer.AsSpan().Fill(0xEE);

        var written = SmartStreamEncoder.WriteLtp(buffer, 1, "3045", 18537152, Ts, 58210);

        Assert.Equal(51, written);
        Assert.Equal(expected, buffer[..written]);
        Assert.Equal(0xEE, buffer[51]);
    }

    [Fact]
    public void WriteQuote_Vector52_MatchesEveryByte()
    {
        var expected = Hex("""
            0000: 02 01 33 30 34 35 00 00 00 00 00 00 00 00 00 00
            0010: 00 00 00 00 00 00 00 00 00 00 00 c1 da 1a 01 00
            0020: 00 00 00 80 72 35 d2 8b 01 00 00 62 e3 00 00 00
            0030: 00 00 00 19 00 00 00 00 00 00 00 db e2 00 00 00
            0040: 00 00 00 87 d6 12 00 00 00 00 00 00 00 00 00 54
            0050: e1 1b 41 00 00 00 00 b4 56 18 41 c8 e1 00 00 00
            0060: 00 00 00 ee e3 00 00 00 00 00 00 64 e1 00 00 00
            0070: 00 00 00 5a e1 00 00 00 00 00 00
            """);
        var buffer = new byte[123];

        var written = SmartStreamEncoder.WriteQuote(buffer, 1, "3045", 18537153, Ts, 58210, Quote52);

        Assert.Equal(123, written);
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void WriteSnapQuote_Vector53_MatchesEveryByte()
    {
        var expected = Hex("""
            0000: 03 02 35 37 39 32 30 00 00 00 00 00 00 00 00 00
            0010: 00 00 00 00 00 00 00 00 00 00 00 40 9e 00 00 00
            0020: 00 00 00 80 72 35 d2 8b 01 00 00 62 e3 00 00 00
            0030: 00 00 00 ee 02 00 00 00 00 00 00 db e2 00 00 00
            0040: 00 00 00 a0 a8 25 00 00 00 00 00 00 00 00 00 44
            0050: d6 32 41 00 00 00 00 a0 23 2e 41 c8 e1 00 00 00
            0060: 00 00 00 ee e3 00 00 00 00 00 00 64 e1 00 00 00
            0070: 00 00 00 5a e1 00 00 00 00 00 00 8f 88 54 65 00
            0080: 00 00 00 3f b4 96 00 00 00 00 00 00 00 00 00 00
            0090: 00 00 00 01 00 ee 02 00 00 00 00 00 00 5d e3 00
            00a0: 00 00 00 00 00 03 00 01 00 dc 05 00 00 00 00 00
            00b0: 00 58 e3 00 00 00 00 00 00 07 00 01 00 e1 00 00
            00c0: 00 00 00 00 00 53 e3 00 00 00 00 00 00 01 00 01
            00d0: 00 b8 0b 00 00 00 00 00 00 4e e3 00 00 00 00 00
            00e0: 00 0c 00 01 00 c2 01 00 00 00 00 00 00 49 e3 00
            00f0: 00 00 00 00 00 02 00 00 00 2c 01 00 00 00 00 00
            0100: 00 67 e3 00 00 00 00 00 00 02 00 00 00 b0 04 00
            0110: 00 00 00 00 00 6c e3 00 00 00 00 00 00 05 00 00
            0120: 00 4b 00 00 00 00 00 00 00 71 e3 00 00 00 00 00
            0130: 00 01 00 00 00 ca 08 00 00 00 00 00 00 76 e3 00
            0140: 00 00 00 00 00 09 00 00 00 58 02 00 00 00 00 00
            0150: 00 7b e3 00 00 00 00 00 00 04 00 1e fa 00 00 00
            0160: 00 00 00 a6 cc 00 00 00 00 00 00 0e f6 00 00 00
            0170: 00 00 00 3a d4 00 00 00 00 00 00
            """);
        var quote = new SmartQuoteFields(750, 58075, 2468000, 1234500.0, 987600.0, 57800, 58350, 57700, 57690);
        var snap = new SmartSnapQuoteFields(1700038799, 9876543, 0.0, 64030, 52390, 62990, 54330);
        SmartDepthLevel[] bids = [new(750, 58205, 3), new(1500, 58200, 7), new(225, 58195, 1), new(3000, 58190, 12), new(450, 58185, 2)];
        SmartDepthLevel[] asks = [new(300, 58215, 2), new(1200, 58220, 5), new(75, 58225, 1), new(2250, 58230, 9), new(600, 58235, 4)];
        var buffer = new byte[379];

        var written = SmartStreamEncoder.WriteSnapQuote(buffer, 2, "57920", 40512, Ts, 58210, quote, snap, bids, asks);

        Assert.Equal(379, written);
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void WriteSnapQuote_EmptyLevels_StillCarryTheirSideFlag()
    {
        var buffer = new byte[379];

        SmartStreamEncoder.WriteSnapQuote(buffer, 1, "1", 1, Ts, 100, default, default, [], []);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(i < 5 ? 1 : 0, BitConverter.ToInt16(buffer, 147 + (i * 20)));
        }
    }

    [Theory]
    [InlineData(50, "3045")]
    [InlineData(51, "")]
    [InlineData(51, "12345678901234567890123456")]
    public void WriteLtp_BadDestinationOrToken_Throws(int size, string token) =>
        Assert.Throws<ArgumentException>(() => SmartStreamEncoder.WriteLtp(new byte[size], 1, token, 1, Ts, 1));
}
