using System.Buffers.Binary;

namespace FeedGuard.Emulator.Kite;

/// <summary>
/// Writes Kite ticker binary messages byte-exactly (protocols §2.3–2.4), big-endian, into a
/// caller's buffer without allocating. A message is a frame header (<see cref="WriteFrameHeader"/>:
/// the packet count) followed by, per packet, a length prefix (<see cref="WritePacketLength"/>) and
/// the packet. Prices are raw integers in the segment's unit: divide by
/// <see cref="PriceDivisor(uint)"/> for rupees.
/// </summary>
public static class KiteTickEncoder
{
    /// <summary>Bytes of the frame header (uint16 packet count).</summary>
    public const int FrameHeaderSize = 2;

    /// <summary>Bytes of each packet's length prefix (uint16).</summary>
    public const int PacketLengthSize = 2;

    /// <summary>Bytes of an ltp packet (tradable or index).</summary>
    public const int LtpPacketSize = 8;

    /// <summary>Bytes of a tradable quote packet.</summary>
    public const int QuotePacketSize = 44;

    /// <summary>Bytes of a tradable full packet.</summary>
    public const int FullPacketSize = 184;

    /// <summary>Bytes of an index quote packet.</summary>
    public const int IndexQuotePacketSize = 28;

    /// <summary>Bytes of an index full packet.</summary>
    public const int IndexFullPacketSize = 32;

    /// <summary>Bytes of the heartbeat the server sends when idle.</summary>
    public const int HeartbeatSize = 1;

    /// <summary>Depth levels per side in a full packet.</summary>
    public const int DepthLevels = 5;

    /// <summary>Bytes of one depth level (quantity, price, orders, 2 pad bytes).</summary>
    public const int DepthLevelSize = 12;

    /// <summary>The segment code of indices (<c>token &amp; 0xFF</c> = 9): not tradable, 28/32-byte packets.</summary>
    public const byte IndicesSegment = 9;

    private const byte CdsSegment = 3;
    private const byte BcdSegment = 6;
    private const int DepthOffset = 64;

    /// <summary>The segment of an instrument token: its low byte (1 NSE, 2 NFO, 3 CDS, 4 BSE, 5 BFO, 6 BCD, 7 MCX, 8 MCXSX, 9 INDICES).</summary>
    /// <param name="instrumentToken">The instrument token.</param>
    public static byte Segment(uint instrumentToken) => (byte)(instrumentToken & 0xFF);

    /// <summary>Whether the token is an index (segment 9).</summary>
    /// <param name="instrumentToken">The instrument token.</param>
    public static bool IsIndex(uint instrumentToken) => Segment(instrumentToken) == IndicesSegment;

    /// <summary>Price units per rupee for the token's segment: 10^7 for CDS, 10^4 for BCD, else 100.</summary>
    /// <param name="instrumentToken">The instrument token.</param>
    public static long PriceDivisor(uint instrumentToken) => Segment(instrumentToken) switch
    {
        CdsSegment => 10_000_000,
        BcdSegment => 10_000,
        _ => 100,
    };

    /// <summary>The packet size a mode produces for a token: 8/44/184, or 8/28/32 for an index; 0 for an undefined mode.</summary>
    /// <param name="mode">The subscription mode.</param>
    /// <param name="instrumentToken">The instrument token.</param>
    public static int PacketSize(KiteTickMode mode, uint instrumentToken) => (mode, IsIndex(instrumentToken)) switch
    {
        (KiteTickMode.Ltp, _) => LtpPacketSize,
        (KiteTickMode.Quote, false) => QuotePacketSize,
        (KiteTickMode.Quote, true) => IndexQuotePacketSize,
        (KiteTickMode.Full, false) => FullPacketSize,
        (KiteTickMode.Full, true) => IndexFullPacketSize,
        _ => 0,
    };

    /// <summary>Writes the frame header: the number of packets that follow.</summary>
    /// <param name="destination">At least 2 bytes.</param>
    /// <param name="packetCount">0–65535.</param>
    /// <returns>2.</returns>
    public static int WriteFrameHeader(Span<byte> destination, int packetCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(packetCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packetCount, ushort.MaxValue);
        EnsureSize(destination, FrameHeaderSize);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)packetCount);
        return FrameHeaderSize;
    }

    /// <summary>Writes a packet's length prefix.</summary>
    /// <param name="destination">At least 2 bytes.</param>
    /// <param name="packetLength">The length of the packet that follows, 0–65535.</param>
    /// <returns>2.</returns>
    public static int WritePacketLength(Span<byte> destination, int packetLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(packetLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(packetLength, ushort.MaxValue);
        EnsureSize(destination, PacketLengthSize);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)packetLength);
        return PacketLengthSize;
    }

    /// <summary>Writes the 1-byte heartbeat (<c>0x00</c>; the SDKs ignore its value).</summary>
    /// <param name="destination">At least 1 byte.</param>
    /// <returns>1.</returns>
    public static int WriteHeartbeat(Span<byte> destination)
    {
        EnsureSize(destination, HeartbeatSize);
        destination[0] = 0;
        return HeartbeatSize;
    }

    /// <summary>Writes an 8-byte ltp packet (any segment, indices included).</summary>
    /// <param name="destination">At least 8 bytes.</param>
    /// <param name="instrumentToken">The instrument token.</param>
    /// <param name="lastPrice">Last price in the segment's unit.</param>
    /// <returns>8.</returns>
    public static int WriteLtp(Span<byte> destination, uint instrumentToken, uint lastPrice)
    {
        EnsureSize(destination, LtpPacketSize);
        BinaryPrimitives.WriteUInt32BigEndian(destination, instrumentToken);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], lastPrice);
        return LtpPacketSize;
    }

    /// <summary>Writes a 44-byte quote packet of a tradable instrument.</summary>
    /// <param name="destination">At least 44 bytes.</param>
    /// <param name="instrumentToken">The instrument token (not an index).</param>
    /// <param name="quote">The quote fields.</param>
    /// <returns>44.</returns>
    /// <exception cref="ArgumentException">The token is an index (use <see cref="WriteIndexQuote"/>).</exception>
    public static int WriteQuote(Span<byte> destination, uint instrumentToken, in KiteQuoteFields quote)
    {
        EnsureTradable(instrumentToken);
        EnsureSize(destination, QuotePacketSize);
        WriteQuoteCore(destination, instrumentToken, quote);
        return QuotePacketSize;
    }

    /// <summary>Writes a 184-byte full packet of a tradable instrument.</summary>
    /// <param name="destination">At least 184 bytes.</param>
    /// <param name="instrumentToken">The instrument token (not an index).</param>
    /// <param name="quote">The quote fields.</param>
    /// <param name="full">Timestamps and open interest.</param>
    /// <param name="bids">Up to 5 buy levels, best first; missing levels are written as zeros.</param>
    /// <param name="asks">Up to 5 sell levels, best first; missing levels are written as zeros.</param>
    /// <returns>184.</returns>
    /// <exception cref="ArgumentException">The token is an index, or a side has more than 5 levels.</exception>
    public static int WriteFull(
        Span<byte> destination,
        uint instrumentToken,
        in KiteQuoteFields quote,
        in KiteFullFields full,
        ReadOnlySpan<KiteDepthLevel> bids,
        ReadOnlySpan<KiteDepthLevel> asks)
    {
        EnsureTradable(instrumentToken);
        if (bids.Length > DepthLevels)
        {
            throw new ArgumentException($"At most {DepthLevels} buy levels fit a full packet; got {bids.Length}.", nameof(bids));
        }

        if (asks.Length > DepthLevels)
        {
            throw new ArgumentException($"At most {DepthLevels} sell levels fit a full packet; got {asks.Length}.", nameof(asks));
        }

        EnsureSize(destination, FullPacketSize);
        WriteQuoteCore(destination, instrumentToken, quote);
        BinaryPrimitives.WriteUInt32BigEndian(destination[44..], full.LastTradeTime);
        BinaryPrimitives.WriteUInt32BigEndian(destination[48..], full.OpenInterest);
        BinaryPrimitives.WriteUInt32BigEndian(destination[52..], full.OpenInterestDayHigh);
        BinaryPrimitives.WriteUInt32BigEndian(destination[56..], full.OpenInterestDayLow);
        BinaryPrimitives.WriteUInt32BigEndian(destination[60..], full.ExchangeTimestamp);
        for (var i = 0; i < DepthLevels; i++)
        {
            WriteDepthLevel(destination[(DepthOffset + (i * DepthLevelSize))..], i < bids.Length ? bids[i] : default);
            WriteDepthLevel(destination[(DepthOffset + ((DepthLevels + i) * DepthLevelSize))..], i < asks.Length ? asks[i] : default);
        }

        return FullPacketSize;
    }

    /// <summary>Writes a 28-byte index quote packet (no timestamp).</summary>
    /// <param name="destination">At least 28 bytes.</param>
    /// <param name="instrumentToken">The index token (segment 9).</param>
    /// <param name="index">The index fields; <see cref="KiteIndexFields.ExchangeTimestamp"/> is not written.</param>
    /// <returns>28.</returns>
    /// <exception cref="ArgumentException">The token is not an index.</exception>
    public static int WriteIndexQuote(Span<byte> destination, uint instrumentToken, in KiteIndexFields index)
    {
        EnsureIndex(instrumentToken);
        EnsureSize(destination, IndexQuotePacketSize);
        WriteIndexCore(destination, instrumentToken, index);
        return IndexQuotePacketSize;
    }

    /// <summary>Writes a 32-byte index full packet (quote plus exchange timestamp).</summary>
    /// <param name="destination">At least 32 bytes.</param>
    /// <param name="instrumentToken">The index token (segment 9).</param>
    /// <param name="index">The index fields.</param>
    /// <returns>32.</returns>
    /// <exception cref="ArgumentException">The token is not an index.</exception>
    public static int WriteIndexFull(Span<byte> destination, uint instrumentToken, in KiteIndexFields index)
    {
        EnsureIndex(instrumentToken);
        EnsureSize(destination, IndexFullPacketSize);
        WriteIndexCore(destination, instrumentToken, index);
        BinaryPrimitives.WriteUInt32BigEndian(destination[28..], index.ExchangeTimestamp);
        return IndexFullPacketSize;
    }

    private static void WriteQuoteCore(Span<byte> d, uint token, in KiteQuoteFields q)
    {
        BinaryPrimitives.WriteUInt32BigEndian(d, token);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], q.LastPrice);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], q.LastQuantity);
        BinaryPrimitives.WriteUInt32BigEndian(d[12..], q.AveragePrice);
        BinaryPrimitives.WriteUInt32BigEndian(d[16..], q.Volume);
        BinaryPrimitives.WriteUInt32BigEndian(d[20..], q.BuyQuantity);
        BinaryPrimitives.WriteUInt32BigEndian(d[24..], q.SellQuantity);
        BinaryPrimitives.WriteUInt32BigEndian(d[28..], q.Open);
        BinaryPrimitives.WriteUInt32BigEndian(d[32..], q.High);
        BinaryPrimitives.WriteUInt32BigEndian(d[36..], q.Low);
        BinaryPrimitives.WriteUInt32BigEndian(d[40..], q.Close);
    }

    private static void WriteIndexCore(Span<byte> d, uint token, in KiteIndexFields x)
    {
        BinaryPrimitives.WriteUInt32BigEndian(d, token);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], x.LastPrice);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], x.High);
        BinaryPrimitives.WriteUInt32BigEndian(d[12..], x.Low);
        BinaryPrimitives.WriteUInt32BigEndian(d[16..], x.Open);
        BinaryPrimitives.WriteUInt32BigEndian(d[20..], x.Close);
        BinaryPrimitives.WriteInt32BigEndian(d[24..], x.Change);
    }

    private static void WriteDepthLevel(Span<byte> d, KiteDepthLevel level)
    {
        BinaryPrimitives.WriteUInt32BigEndian(d, level.Quantity);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], level.Price);
        BinaryPrimitives.WriteUInt16BigEndian(d[8..], level.Orders);
        d.Slice(10, 2).Clear();
    }

    private static void EnsureSize(Span<byte> destination, int size)
    {
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination needs {size} bytes; it has {destination.Length}.", nameof(destination));
        }
    }

    private static void EnsureTradable(uint token)
    {
        if (IsIndex(token))
        {
            throw new ArgumentException($"Token {token} is an index (segment 9); write it with WriteIndexQuote or WriteIndexFull.", nameof(token));
        }
    }

    private static void EnsureIndex(uint token)
    {
        if (!IsIndex(token))
        {
            throw new ArgumentException($"Token {token} is not an index (segment {Segment(token)}, not 9).", nameof(token));
        }
    }
}
