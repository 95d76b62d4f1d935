using FeedGuard.Emulator.Kite;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>The Kite encoder against the constructed vectors of protocols §5.5–5.8, byte for byte.</summary>
public sealed class KiteTickEncoderTests
{
    private static readonly KiteIndexFields Nifty = new(1963525, 1975010, 1958840, 1970000, 1972150, -8625, 1700038800);

    [Fact]
    public void WriteLtp_CdsVector_MatchesSection55()
    {
        var frame = new byte[12];
        var n = KiteTickEncoder.WriteFrameHeader(frame, 1);
        n += KiteTickEncoder.WritePacketLength(frame.AsSpan(n), KiteTickEncoder.LtpPacketSize);
        n += KiteTickEncoder.WriteLtp(frame.AsSpan(n), 412931, 832525000);

        Assert.Equal(12, n);
        Assert.Equal(Hex("00 01 00 08 00 06 4d 03 31 9f 52 c8"), frame);
        Assert.Equal(3, KiteTickEncoder.Segment(412931));
        Assert.Equal(83.2525m, 832525000m / KiteTickEncoder.PriceDivisor(412931));
    }

    [Fact]
    public void WriteQuote_NseVector_MatchesSection56()
    {
        var frame = new byte[48];
        var n = KiteTickEncoder.WriteFrameHeader(frame, 1);
        n += KiteTickEncoder.WritePacketLength(frame.AsSpan(n), KiteTickEncoder.QuotePacketSize);
        n += KiteTickEncoder.WriteQuote(frame.AsSpan(n), 408065, new KiteQuoteFields(157405, 12, 157033, 1204567, 250111, 349876, 156915, 157500, 156105, 156780));

        Assert.Equal(48, n);
        Assert.Equal(Hex("""
            00 01 00 2c 00 06 3a 01 00 02 66 dd 00 00 00 0c
            00 02 65 69 00 12 61 57 00 03 d0 ff 00 05 56 b4
            00 02 64 f3 00 02 67 3c 00 02 61 c9 00 02 64 6c
            """), frame);
    }

    [Fact]
    public void WriteFull_NfoVector_MatchesSection57()
    {
        KiteDepthLevel[] bids = [new(500, 2215000, 4), new(750, 2214950, 6), new(100, 2214900, 1), new(1250, 2214850, 9), new(50, 2214800, 1)];
        KiteDepthLevel[] asks = [new(250, 2215100, 2), new(600, 2215150, 5), new(900, 2215200, 7), new(150, 2215250, 1), new(2000, 2215300, 11)];
        var frame = new byte[188];
        frame.AsSpan().Fill(0xAA); // the pad bytes must be written, not left over

        var n = KiteTickEncoder.WriteFrameHeader(frame, 1);
        n += KiteTickEncoder.WritePacketLength(frame.AsSpan(n), KiteTickEncoder.FullPacketSize);
        n += KiteTickEncoder.WriteFull(
            frame.AsSpan(n),
            13368322,
            new KiteQuoteFields(2215045, 50, 2209810, 4567800, 123450, 98760, 2198000, 2221000, 2195550, 2201320),
            new KiteFullFields(1700038799, 10234500, 10500000, 9800000, 1700038800),
            bids,
            asks);

        Assert.Equal(188, n);
        Assert.Equal(Hex("""
            00 01 00 b8 00 cb fc 02 00 21 cc 85 00 00 00 32
            00 21 b8 12 00 45 b2 f8 00 01 e2 3a 00 01 81 c8
            00 21 89 f0 00 21 e3 c8 00 21 80 5e 00 21 96 e8
            65 54 88 8f 00 9c 2a 84 00 a0 37 a0 00 95 89 40
            65 54 88 90 00 00 01 f4 00 21 cc 58 00 04 00 00
            00 00 02 ee 00 21 cc 26 00 06 00 00 00 00 00 64
            00 21 cb f4 00 01 00 00 00 00 04 e2 00 21 cb c2
            00 09 00 00 00 00 00 32 00 21 cb 90 00 01 00 00
            00 00 00 fa 00 21 cc bc 00 02 00 00 00 00 02 58
            00 21 cc ee 00 05 00 00 00 00 03 84 00 21 cd 20
            00 07 00 00 00 00 00 96 00 21 cd 52 00 01 00 00
            00 00 07 d0 00 21 cd 84 00 0b 00 00
            """), frame);
    }

    [Fact]
    public void WriteIndexFull_NiftyVector_MatchesSection58_WithSignedChange()
    {
        var frame = new byte[36];
        var n = KiteTickEncoder.WriteFrameHeader(frame, 1);
        n += KiteTickEncoder.WritePacketLength(frame.AsSpan(n), KiteTickEncoder.IndexFullPacketSize);
        n += KiteTickEncoder.WriteIndexFull(frame.AsSpan(n), 256265, Nifty);

        Assert.Equal(36, n);
        Assert.Equal(Hex("""
            00 01 00 20 00 03 e9 09 00 1d f6 05 00 1e 22 e2
            00 1d e3 b8 00 1e 0f 50 00 1e 17 b6 ff ff de 4f
            65 54 88 90
            """), frame);
    }

    [Fact]
    public void MixedFrame_LtpPlusIndexQuote_MatchesSection58()
    {
        var frame = new byte[42];
        var n = KiteTickEncoder.WriteFrameHeader(frame, 2);
        n += KiteTickEncoder.WritePacketLength(frame.AsSpan(n), KiteTickEncoder.LtpPacketSize);
        n += KiteTickEncoder.WriteLtp(frame.AsSpan(n), 408065, 157405);
        n += KiteTickEncoder.WritePacketLength(frame.AsSpan(n), KiteTickEncoder.IndexQuotePacketSize);
        n += KiteTickEncoder.WriteIndexQuote(frame.AsSpan(n), 256265, Nifty);

        Assert.Equal(42, n);
        Assert.Equal(Hex("""
            00 02 00 08 00 06 3a 01 00 02 66 dd 00 1c 00 03
            e9 09 00 1d f6 05 00 1e 22 e2 00 1d e3 b8 00 1e
            0f 50 00 1e 17 b6 ff ff de 4f
            """), frame);
    }

    [Theory]
    [InlineData(408065u, KiteTickMode.Ltp, 8, 100)]
    [InlineData(408065u, KiteTickMode.Quote, 44, 100)]
    [InlineData(408065u, KiteTickMode.Full, 184, 100)]
    [InlineData(256265u, KiteTickMode.Ltp, 8, 100)]
    [InlineData(256265u, KiteTickMode.Quote, 28, 100)]
    [InlineData(256265u, KiteTickMode.Full, 32, 100)]
    [InlineData(412931u, KiteTickMode.Quote, 44, 10_000_000)]
    [InlineData(412934u, KiteTickMode.Quote, 44, 10_000)]
    public void PacketSizeAndDivisor_FollowModeAndSegment(uint token, KiteTickMode mode, int size, long divisor)
    {
        Assert.Equal(size, KiteTickEncoder.PacketSize(mode, token));
        Assert.Equal(divisor, KiteTickEncoder.PriceDivisor(token));
    }

    [Fact]
    public void Writers_RejectShortBuffersAndWrongSegments()
    {
        Assert.Throws<ArgumentException>(() => KiteTickEncoder.WriteQuote(new byte[43], 408065, default));
        Assert.Throws<ArgumentException>(() => KiteTickEncoder.WriteQuote(new byte[44], 256265, default));
        Assert.Throws<ArgumentException>(() => KiteTickEncoder.WriteIndexQuote(new byte[28], 408065, default));
        Assert.Throws<ArgumentException>(() => KiteTickEncoder.WriteFull(new byte[184], 408065, default, default, new KiteDepthLevel[6], []));
    }

    [Fact]
    public void Writers_DoNotAllocate()
    {
        var buffer = new byte[256];
        var quote = new KiteQuoteFields(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        var full = new KiteFullFields(1, 2, 3, 4, 5);
        void WriteAll()
        {
            Span<KiteDepthLevel> depth = stackalloc KiteDepthLevel[5];
            KiteTickEncoder.WriteFrameHeader(buffer, 1);
            KiteTickEncoder.WritePacketLength(buffer, 184);
            KiteTickEncoder.WriteHeartbeat(buffer);
            KiteTickEncoder.WriteLtp(buffer, 408065, 1);
            KiteTickEncoder.WriteQuote(buffer, 408065, quote);
            KiteTickEncoder.WriteFull(buffer, 408065, quote, full, depth, depth);
            KiteTickEncoder.WriteIndexQuote(buffer, 256265, Nifty);
            KiteTickEncoder.WriteIndexFull(buffer, 256265, Nifty);
        }

        WriteAll();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            WriteAll();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static byte[] Hex(string text) =>
        Convert.FromHexString(string.Concat(text.Split((char[])[' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)));
}
