using System.Buffers.Binary;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Kite.Codec;

/// <summary>
/// Decodes Kite ticker binary messages (protocols §2.3–2.4) into <see cref="Tick"/>s. A message is a
/// big-endian frame: <c>uint16</c> packet count, then per packet a <c>uint16</c> length and the
/// packet: ltp 8, quote 44, full 184 bytes; for index tokens (segment 9) quote 28 and full 32. A
/// 1-byte message is the idle heartbeat. Allocates nothing per packet and never throws on any
/// input: a packet it cannot use is counted and skipped, and the length prefixes let the packets
/// after it decode.
/// </summary>
/// <remarks>
/// Prices are scaled integers at the segment's scale (<c>token &amp; 0xFF</c>: CDS 7, BCD 4, else 2).
/// Quote and full packets carry no exchange time except the full packet's exchange timestamp
/// (Unix seconds); a zero there is left unset. Best bid and ask are the first of the five depth
/// levels on each side, set only when that level has a quantity. Kite gives no sequence number.
/// Thread-safe: the instance holds only the read-only token map, so one decoder serves every socket.
/// </remarks>
public sealed class KiteTickDecoder
{
    /// <summary>Length of an ltp packet (tradable or index).</summary>
    public const int LtpLength = 8;

    /// <summary>Length of a tradable quote packet.</summary>
    public const int QuoteLength = 44;

    /// <summary>Length of a tradable full packet (with 5+5 depth levels).</summary>
    public const int FullLength = 184;

    /// <summary>Length of an index quote packet.</summary>
    public const int IndexQuoteLength = 28;

    /// <summary>Length of an index full packet.</summary>
    public const int IndexFullLength = 32;

    /// <summary>The largest packet, plus its length prefix: the most bytes one instrument adds to a frame.</summary>
    public const int MaxPacketBytes = 2 + FullLength;

    // Index packet: token, last, high, low, open, close, change (signed), exchange time.
    private const int IndexHighOffset = 8;
    private const int IndexLowOffset = 12;
    private const int IndexOpenOffset = 16;
    private const int IndexCloseOffset = 20;
    private const int IndexChangeOffset = 24;
    private const int IndexExchangeTimeOffset = 28;

    // Tradable packet.
    private const int LastPriceOffset = 4;
    private const int LastQuantityOffset = 8;
    private const int AveragePriceOffset = 12;
    private const int VolumeOffset = 16;
    private const int TotalBuyOffset = 20;
    private const int TotalSellOffset = 24;
    private const int OpenOffset = 28;
    private const int HighOffset = 32;
    private const int LowOffset = 36;
    private const int CloseOffset = 40;
    private const int OpenInterestOffset = 48;
    private const int ExchangeTimeOffset = 60;
    private const int FirstBidOffset = 64;
    private const int FirstAskOffset = 124;
    private const int LevelPriceOffset = 4;

    private readonly FrozenDictionary<uint, Instrument> _byToken;

    /// <summary>
    /// Builds the token lookup for <paramref name="instruments"/>. Instruments whose token is not a
    /// uint32 cannot appear on the wire and are left out (the sources refuse them in <c>Validate</c>).
    /// </summary>
    public KiteTickDecoder(InstrumentRegistry instruments)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        var map = new Dictionary<uint, Instrument>(instruments.Count);
        foreach (var instrument in instruments.All)
        {
            if (KiteSegments.TryParseToken(instrument.Token, out var token))
            {
                map.TryAdd(token, instrument);
            }
        }

        _byToken = map.ToFrozenDictionary();
    }

    /// <summary>How many instruments the decoder recognises.</summary>
    public int Count => _byToken.Count;

    /// <summary>Finds the instrument for a wire token without allocating.</summary>
    public bool TryGetInstrument(uint token, [NotNullWhen(true)] out Instrument? instrument) => _byToken.TryGetValue(token, out instrument);

    /// <summary>True for the ticker's 1-byte idle heartbeat.</summary>
    public static bool IsHeartbeat(ReadOnlySpan<byte> message) => message.Length == 1;

    /// <summary>The packet count a frame's header announces (0 for a heartbeat or shorter input): the tick buffer size it needs.</summary>
    public static int PacketCount(ReadOnlySpan<byte> frame) => frame.Length < 2 ? 0 : BinaryPrimitives.ReadUInt16BigEndian(frame);

    /// <summary>
    /// Decodes a whole binary message into the front of <paramref name="ticks"/>. A heartbeat gives
    /// no ticks and no problem. Every packet that cannot be used (wrong length, unknown token, no
    /// room left in <paramref name="ticks"/>) is counted and skipped; a truncated frame keeps the
    /// packets before the cut.
    /// </summary>
    /// <param name="frame">Exactly one binary WebSocket message.</param>
    /// <param name="receiveTime">The local receive time to stamp on every tick.</param>
    /// <param name="ticks">Where to write; needs <see cref="PacketCount"/> slots to hold every packet.</param>
    public KiteFrameResult DecodeFrame(ReadOnlySpan<byte> frame, DateTimeOffset receiveTime, Span<Tick> ticks)
    {
        if (frame.IsEmpty)
        {
            return new KiteFrameResult(0, 1, KiteDecodeStatus.EmptyFrame, false);
        }

        if (IsHeartbeat(frame))
        {
            return new KiteFrameResult(0, 0, KiteDecodeStatus.Ok, true);
        }

        var packets = BinaryPrimitives.ReadUInt16BigEndian(frame);
        var offset = 2;
        var count = 0;
        var malformed = 0;
        var first = KiteDecodeStatus.Ok;
        for (var i = 0; i < packets; i++)
        {
            if (frame.Length - offset < 2)
            {
                Note(KiteDecodeStatus.Truncated, ref malformed, ref first);
                return new KiteFrameResult(count, malformed, first, false);
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
            offset += 2;
            if (frame.Length - offset < length)
            {
                Note(KiteDecodeStatus.Truncated, ref malformed, ref first);
                return new KiteFrameResult(count, malformed, first, false);
            }

            var packet = frame.Slice(offset, length);
            offset += length;
            if (count >= ticks.Length)
            {
                Note(KiteDecodeStatus.NoRoom, ref malformed, ref first);
                continue;
            }

            var status = DecodePacket(packet, receiveTime, out ticks[count]);
            if (status == KiteDecodeStatus.Ok)
            {
                count++;
            }
            else
            {
                Note(status, ref malformed, ref first);
            }
        }

        if (offset != frame.Length)
        {
            Note(KiteDecodeStatus.TrailingBytes, ref malformed, ref first);
        }

        return new KiteFrameResult(count, malformed, first, false);
    }

    /// <summary>Decodes one packet (without its length prefix).</summary>
    /// <param name="packet">The packet bytes.</param>
    /// <param name="receiveTime">The local receive time to stamp on the tick.</param>
    /// <param name="tick">The tick when the result is <see cref="KiteDecodeStatus.Ok"/>; default otherwise.</param>
    public KiteDecodeStatus DecodePacket(ReadOnlySpan<byte> packet, DateTimeOffset receiveTime, out Tick tick)
    {
        if (packet.Length < LtpLength)
        {
            return Fail(KiteDecodeStatus.WrongLength, out tick);
        }

        var token = BinaryPrimitives.ReadUInt32BigEndian(packet);
        var segment = KiteSegments.Of(token);
        var index = segment == KiteSegments.Indices;
        var known = packet.Length switch
        {
            LtpLength => true,
            QuoteLength or FullLength => !index,
            IndexQuoteLength or IndexFullLength => index,
            _ => false,
        };
        if (!known)
        {
            return Fail(KiteDecodeStatus.WrongLength, out tick);
        }

        if (!_byToken.TryGetValue(token, out var instrument))
        {
            return Fail(KiteDecodeStatus.UnknownToken, out tick);
        }

        // Fields gathered as raw values, then one constructor: no per-field nullable work, no `with` copies of the large Tick.
        var values = default(TickValues);
        if (packet.Length > LtpLength)
        {
            if (index)
            {
                ReadIndex(packet, ref values);
            }
            else
            {
                ReadTradable(packet, ref values);
            }
        }

        tick = new Tick(instrument, TickSource.Stream, U32(packet, LastPriceOffset), KiteSegments.PriceScale(segment), receiveTime.UtcTicks, in values);
        return KiteDecodeStatus.Ok;
    }

    /// <summary>
    /// The signed net change an index quote or full packet carries (last − close, in units of the
    /// segment's scale; bytes 24–28, an <c>int32</c>), or null for any other packet. <see cref="Tick"/>
    /// has no field for it yet, so the decoder does not copy it.
    /// </summary>
    public static long? IndexChangeUnits(ReadOnlySpan<byte> packet)
    {
        if (packet.Length is not (IndexQuoteLength or IndexFullLength) || KiteSegments.Of(BinaryPrimitives.ReadUInt32BigEndian(packet)) != KiteSegments.Indices)
        {
            return null;
        }

        return BinaryPrimitives.ReadInt32BigEndian(packet[IndexChangeOffset..]);
    }

    /// <summary>Decimal places of prices for <paramref name="token"/>: 7 for CDS, 4 for BCD, else 2.</summary>
    public static byte PriceScale(uint token) => KiteSegments.PriceScale(KiteSegments.Of(token));

    /// <summary>A constant, payload-free description of a problem, for <c>OnMalformedFrame</c>.</summary>
    public static string Describe(KiteDecodeStatus status) => status switch
    {
        KiteDecodeStatus.Ok => "ok",
        KiteDecodeStatus.EmptyFrame => "kite: empty binary message",
        KiteDecodeStatus.Truncated => "kite: frame shorter than its packet count or a packet length",
        KiteDecodeStatus.TrailingBytes => "kite: bytes after the last packet",
        KiteDecodeStatus.WrongLength => "kite: packet length is not a Kite packet size for its segment",
        KiteDecodeStatus.UnknownToken => "kite: token not subscribed",
        KiteDecodeStatus.NoRoom => "kite: more packets than the tick buffer holds",
        _ => "kite: undecodable packet",
    };

    // Failures write `default` themselves: zeroing the whole Tick up front would cost every good packet.
    private static KiteDecodeStatus Fail(KiteDecodeStatus status, out Tick tick)
    {
        tick = default;
        return status;
    }

    private static void Note(KiteDecodeStatus status, ref int malformed, ref KiteDecodeStatus first)
    {
        malformed++;
        if (first == KiteDecodeStatus.Ok)
        {
            first = status;
        }
    }

    private static long U32(ReadOnlySpan<byte> packet, int offset) => BinaryPrimitives.ReadUInt32BigEndian(packet[offset..]);

    private static void ReadIndex(ReadOnlySpan<byte> packet, ref TickValues values)
    {
        values.Fields = TickFields.Ohlc;
        values.OpenUnits = U32(packet, IndexOpenOffset);
        values.HighUnits = U32(packet, IndexHighOffset);
        values.LowUnits = U32(packet, IndexLowOffset);
        values.CloseUnits = U32(packet, IndexCloseOffset);
        if (packet.Length == IndexFullLength)
        {
            ReadExchangeTime(packet, IndexExchangeTimeOffset, ref values);
        }
    }

    private static void ReadTradable(ReadOnlySpan<byte> packet, ref TickValues values)
    {
        values.Fields = TickFields.LastQuantity | TickFields.AveragePrice | TickFields.Volume | TickFields.BuySellTotals | TickFields.Ohlc;
        values.LastQuantity = U32(packet, LastQuantityOffset);
        values.AveragePriceUnits = U32(packet, AveragePriceOffset);
        values.Volume = U32(packet, VolumeOffset);
        values.TotalBuyQuantity = U32(packet, TotalBuyOffset);
        values.TotalSellQuantity = U32(packet, TotalSellOffset);
        values.OpenUnits = U32(packet, OpenOffset);
        values.HighUnits = U32(packet, HighOffset);
        values.LowUnits = U32(packet, LowOffset);
        values.CloseUnits = U32(packet, CloseOffset);
        if (packet.Length != FullLength)
        {
            return;
        }

        values.Fields |= TickFields.OpenInterest;
        values.OpenInterest = U32(packet, OpenInterestOffset);
        ReadExchangeTime(packet, ExchangeTimeOffset, ref values);
        var bidQuantity = U32(packet, FirstBidOffset);
        if (bidQuantity > 0)
        {
            values.Fields |= TickFields.BestBid;
            values.BidQuantity = bidQuantity;
            values.BidPriceUnits = U32(packet, FirstBidOffset + LevelPriceOffset);
        }

        var askQuantity = U32(packet, FirstAskOffset);
        if (askQuantity > 0)
        {
            values.Fields |= TickFields.BestAsk;
            values.AskQuantity = askQuantity;
            values.AskPriceUnits = U32(packet, FirstAskOffset + LevelPriceOffset);
        }
    }

    // Unix seconds; zero means the exchange gave no time, and leaves it unset.
    private static void ReadExchangeTime(ReadOnlySpan<byte> packet, int offset, ref TickValues values)
    {
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(packet[offset..]);
        if (seconds != 0)
        {
            values.Fields |= TickFields.ExchangeTime;
            values.ExchangeTimeUtcTicks = TickValues.UnixSecondsToUtcTicks(seconds);
        }
    }
}
