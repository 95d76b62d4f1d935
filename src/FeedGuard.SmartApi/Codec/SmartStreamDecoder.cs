using System.Buffers.Binary;
using System.Text;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.SmartApi.Codec;

/// <summary>
/// Decodes SmartStream (WebSocket 2.0) binary packets into <see cref="Tick"/>s: LTP (51 bytes),
/// Quote (123) and SnapQuote (379), little-endian, one packet per WebSocket message. Allocates
/// nothing and never throws on any input: a packet it cannot use yields a status other than
/// <see cref="SmartStreamDecodeStatus.Ok"/>, which the caller counts as malformed and skips.
/// </summary>
public static class SmartStreamDecoder
{
    /// <summary>Length of an LTP packet (mode 1).</summary>
    public const int LtpLength = 51;

    /// <summary>Length of a Quote packet (mode 2).</summary>
    public const int QuoteLength = 123;

    /// <summary>Length of a SnapQuote packet (mode 3).</summary>
    public const int SnapQuoteLength = 379;

    /// <summary>Size of the NUL-padded token field.</summary>
    public const int TokenFieldLength = 25;

    private const int ModeOffset = 0;
    private const int ExchangeTypeOffset = 1;
    private const int TokenOffset = 2;
    private const int SequenceOffset = 27;
    private const int ExchangeTimeOffset = 35;
    private const int LastPriceOffset = 43;
    private const int LastQuantityOffset = 51;
    private const int AveragePriceOffset = 59;
    private const int VolumeOffset = 67;
    private const int TotalBuyOffset = 75;
    private const int TotalSellOffset = 83;
    private const int OpenOffset = 91;
    private const int HighOffset = 99;
    private const int LowOffset = 107;
    private const int CloseOffset = 115;
    private const int OpenInterestOffset = 131;
    private const int BestBuyOffset = 147;
    private const int BestSellOffset = 247;
    private const int LevelQuantityOffset = 2;
    private const int LevelPriceOffset = 10;

    // DateTimeOffset's range in Unix milliseconds: no tick time lies outside it.
    private const long MaxUnixMilliseconds = 253_402_300_799_999;

    /// <summary>The packet length SmartStream uses for <paramref name="mode"/>, or 0 for a mode it does not stream.</summary>
    public static int PacketLength(byte mode) => mode switch
    {
        1 => LtpLength,
        2 => QuoteLength,
        3 => SnapQuoteLength,
        _ => 0,
    };

    /// <summary>
    /// Decodes one packet. Prices are scaled integers: scale 2 (paise), or 7 for exchange type 13
    /// (currency). SnapQuote's best bid and ask are the first buy and first sell of its best-five
    /// block, set only when that level has a quantity. Totals sent as float64 are omitted when not
    /// a whole number in range. A zero sequence (index feeds) or zero timestamp is left unset.
    /// </summary>
    /// <param name="packet">Exactly one binary WebSocket message.</param>
    /// <param name="instruments">The subscribed instruments; tokens outside it are <see cref="SmartStreamDecodeStatus.UnknownToken"/>.</param>
    /// <param name="receiveTime">The local receive time to stamp on the tick.</param>
    /// <param name="tick">The decoded tick when the result is <see cref="SmartStreamDecodeStatus.Ok"/>; default otherwise.</param>
    public static SmartStreamDecodeStatus Decode(ReadOnlySpan<byte> packet, InstrumentRegistry instruments, DateTimeOffset receiveTime, out Tick tick)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        if (packet.IsEmpty)
        {
            return Fail(SmartStreamDecodeStatus.UnknownMode, out tick);
        }

        var mode = packet[ModeOffset];
        var expected = PacketLength(mode);
        if (expected == 0)
        {
            return Fail(SmartStreamDecodeStatus.UnknownMode, out tick);
        }

        if (packet.Length != expected)
        {
            return Fail(SmartStreamDecodeStatus.WrongLength, out tick);
        }

        var exchangeType = packet[ExchangeTypeOffset];
        if (!SmartApiExchanges.TryFromWire(exchangeType, out var exchange))
        {
            return Fail(SmartStreamDecodeStatus.UnknownExchangeType, out tick);
        }

        var tokenBytes = packet.Slice(TokenOffset, TokenFieldLength);
        var end = tokenBytes.IndexOf((byte)0);
        if (end >= 0)
        {
            tokenBytes = tokenBytes[..end];
        }

        if (!instruments.TryGetAscii(exchange, tokenBytes, out var instrument))
        {
            return Fail(tokenBytes.IsEmpty || !Ascii.IsValid(tokenBytes) ? SmartStreamDecodeStatus.BadToken : SmartStreamDecodeStatus.UnknownToken, out tick);
        }

        var exchangeMs = ReadInt64(packet, ExchangeTimeOffset);
        if (exchangeMs < 0 || exchangeMs > MaxUnixMilliseconds)
        {
            return Fail(SmartStreamDecodeStatus.BadTimestamp, out tick);
        }

        var values = default(TickValues);
        if (exchangeMs != 0)
        {
            values.Fields = TickFields.ExchangeTime;
            values.ExchangeTimeUtcTicks = TickValues.UnixMillisecondsToUtcTicks(exchangeMs);
        }

        var sequence = ReadInt64(packet, SequenceOffset);
        if (sequence > 0)
        {
            values.Fields |= TickFields.Sequence;
            values.Sequence = sequence;
        }

        if (mode != 1)
        {
            ReadQuote(packet, mode == 3, ref values);
        }

        var scale = exchangeType == SmartApiExchanges.CurrencyExchangeType ? (byte)7 : (byte)2;
        tick = new Tick(instrument, TickSource.Stream, ReadInt64(packet, LastPriceOffset), scale, receiveTime.UtcTicks, in values);
        return SmartStreamDecodeStatus.Ok;
    }

    /// <summary>A constant, payload-free description of a failed decode, for <c>OnMalformedFrame</c>.</summary>
    public static string Describe(SmartStreamDecodeStatus status) => status switch
    {
        SmartStreamDecodeStatus.Ok => "ok",
        SmartStreamDecodeStatus.UnknownMode => "smartapi: unknown packet mode",
        SmartStreamDecodeStatus.WrongLength => "smartapi: packet length does not match its mode",
        SmartStreamDecodeStatus.UnknownExchangeType => "smartapi: unknown exchange type",
        SmartStreamDecodeStatus.BadToken => "smartapi: unreadable token field",
        SmartStreamDecodeStatus.UnknownToken => "smartapi: token not subscribed",
        SmartStreamDecodeStatus.BadTimestamp => "smartapi: exchange timestamp out of range",
        _ => "smartapi: undecodable packet",
    };

    // Its own method, so the LTP path (the common mode, and the hot one) stays small.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ReadQuote(ReadOnlySpan<byte> packet, bool snap, ref TickValues values)
    {
        values.Fields |= TickFields.LastQuantity | TickFields.AveragePrice | TickFields.Volume | TickFields.Ohlc;
        values.LastQuantity = ReadInt64(packet, LastQuantityOffset);
        values.AveragePriceUnits = ReadInt64(packet, AveragePriceOffset);
        values.Volume = ReadInt64(packet, VolumeOffset);
        if (TryReadQuantity(packet, TotalBuyOffset, out var totalBuy) & TryReadQuantity(packet, TotalSellOffset, out var totalSell))
        {
            values.Fields |= TickFields.BuySellTotals;
            values.TotalBuyQuantity = totalBuy;
            values.TotalSellQuantity = totalSell;
        }

        values.OpenUnits = ReadInt64(packet, OpenOffset);
        values.HighUnits = ReadInt64(packet, HighOffset);
        values.LowUnits = ReadInt64(packet, LowOffset);
        values.CloseUnits = ReadInt64(packet, CloseOffset);
        if (!snap)
        {
            return;
        }

        values.Fields |= TickFields.OpenInterest;
        values.OpenInterest = ReadInt64(packet, OpenInterestOffset);
        var bidQuantity = ReadInt64(packet, BestBuyOffset + LevelQuantityOffset);
        if (bidQuantity > 0)
        {
            values.Fields |= TickFields.BestBid;
            values.BidQuantity = bidQuantity;
            values.BidPriceUnits = ReadInt64(packet, BestBuyOffset + LevelPriceOffset);
        }

        var askQuantity = ReadInt64(packet, BestSellOffset + LevelQuantityOffset);
        if (askQuantity > 0)
        {
            values.Fields |= TickFields.BestAsk;
            values.AskQuantity = askQuantity;
            values.AskPriceUnits = ReadInt64(packet, BestSellOffset + LevelPriceOffset);
        }
    }

    // Failures write `default` themselves: zeroing the whole Tick up front would cost every good packet.
    private static SmartStreamDecodeStatus Fail(SmartStreamDecodeStatus status, out Tick tick)
    {
        tick = default;
        return status;
    }

    private static long ReadInt64(ReadOnlySpan<byte> packet, int offset) => BinaryPrimitives.ReadInt64LittleEndian(packet.Slice(offset, 8));

    // Totals are float64 on the wire; keep them only when they are whole numbers a long can hold.
    private static bool TryReadQuantity(ReadOnlySpan<byte> packet, int offset, out long quantity)
    {
        var value = BinaryPrimitives.ReadDoubleLittleEndian(packet.Slice(offset, 8));
        if (value >= 0 && value < 9.2e18 && Math.Floor(value) == value)
        {
            quantity = (long)value;
            return true;
        }

        quantity = 0;
        return false;
    }
}
