using System.Buffers.Binary;

namespace FeedGuard.Emulator.SmartApi;

/// <summary>
/// Writes SmartStream (WebSocket 2.0) binary tick packets exactly as protocols §1.5 lays
/// them out: little-endian, token NUL-padded to 25 bytes, one packet per WebSocket message.
/// The methods never allocate; they throw <see cref="ArgumentException"/> when the
/// destination is too small or the token is not 1–25 ASCII characters.
/// </summary>
public static class SmartStreamEncoder
{
    /// <summary>Mode byte of an LTP packet.</summary>
    public const byte LtpMode = 1;

    /// <summary>Mode byte of a Quote packet.</summary>
    public const byte QuoteMode = 2;

    /// <summary>Mode byte of a SnapQuote packet.</summary>
    public const byte SnapQuoteMode = 3;

    /// <summary>Size in bytes of an LTP packet.</summary>
    public const int LtpPacketSize = 51;

    /// <summary>Size in bytes of a Quote packet.</summary>
    public const int QuotePacketSize = 123;

    /// <summary>Size in bytes of a SnapQuote packet.</summary>
    public const int SnapQuotePacketSize = 379;

    /// <summary>Size in bytes of the token field.</summary>
    public const int TokenFieldSize = 25;

    /// <summary>Number of levels per side in the SnapQuote best-five book.</summary>
    public const int BestFiveLevels = 5;

    private const int DepthEntrySize = 20;
    private const int BestFiveOffset = 147;

    /// <summary>Returns the packet size for a mode (1, 2 or 3), or 0 for any other mode.</summary>
    /// <param name="mode">The subscription mode.</param>
    public static int PacketSize(byte mode) => mode switch
    {
        LtpMode => LtpPacketSize,
        QuoteMode => QuotePacketSize,
        SnapQuoteMode => SnapQuotePacketSize,
        _ => 0,
    };

    /// <summary>Writes a 51-byte LTP packet (mode 1).</summary>
    /// <param name="destination">At least 51 bytes.</param>
    /// <param name="exchangeType">Exchange type code (1 nse_cm … 13 cde_fo).</param>
    /// <param name="token">The exchange token, 1–25 ASCII characters.</param>
    /// <param name="sequence">Per-token sequence number.</param>
    /// <param name="exchangeTimeMs">Exchange timestamp, epoch milliseconds.</param>
    /// <param name="ltp">Last traded price in paise (10^-7 rupee for exchange type 13).</param>
    /// <returns>The number of bytes written (51).</returns>
    public static int WriteLtp(Span<byte> destination, byte exchangeType, ReadOnlySpan<char> token, long sequence, long exchangeTimeMs, long ltp)
    {
        EnsureSize(destination, LtpPacketSize);
        WriteHeader(destination, LtpMode, exchangeType, token, sequence, exchangeTimeMs, ltp);
        return LtpPacketSize;
    }

    /// <summary>Writes a 123-byte Quote packet (mode 2).</summary>
    /// <param name="destination">At least 123 bytes.</param>
    /// <param name="exchangeType">Exchange type code.</param>
    /// <param name="token">The exchange token, 1–25 ASCII characters.</param>
    /// <param name="sequence">Per-token sequence number.</param>
    /// <param name="exchangeTimeMs">Exchange timestamp, epoch milliseconds.</param>
    /// <param name="ltp">Last traded price in the exchange's price unit.</param>
    /// <param name="quote">The Quote fields.</param>
    /// <returns>The number of bytes written (123).</returns>
    public static int WriteQuote(Span<byte> destination, byte exchangeType, ReadOnlySpan<char> token, long sequence, long exchangeTimeMs, long ltp, in SmartQuoteFields quote)
    {
        EnsureSize(destination, QuotePacketSize);
        WriteHeader(destination, QuoteMode, exchangeType, token, sequence, exchangeTimeMs, ltp);
        WriteQuoteFields(destination, quote);
        return QuotePacketSize;
    }

    /// <summary>Writes a 379-byte SnapQuote packet (mode 3).</summary>
    /// <param name="destination">At least 379 bytes.</param>
    /// <param name="exchangeType">Exchange type code.</param>
    /// <param name="token">The exchange token, 1–25 ASCII characters.</param>
    /// <param name="sequence">Per-token sequence number.</param>
    /// <param name="exchangeTimeMs">Exchange timestamp, epoch milliseconds.</param>
    /// <param name="ltp">Last traded price in the exchange's price unit.</param>
    /// <param name="quote">The Quote fields.</param>
    /// <param name="snap">The SnapQuote scalar fields.</param>
    /// <param name="bids">Up to 5 buy levels, best first; missing levels are written as zeros with flag 1.</param>
    /// <param name="asks">Up to 5 sell levels, best first; missing levels are written as zeros with flag 0.</param>
    /// <returns>The number of bytes written (379).</returns>
    public static int WriteSnapQuote(
        Span<byte> destination,
        byte exchangeType,
        ReadOnlySpan<char> token,
        long sequence,
        long exchangeTimeMs,
        long ltp,
        in SmartQuoteFields quote,
        in SmartSnapQuoteFields snap,
        ReadOnlySpan<SmartDepthLevel> bids,
        ReadOnlySpan<SmartDepthLevel> asks)
    {
        if (bids.Length > BestFiveLevels)
        {
            throw new ArgumentException($"At most {BestFiveLevels} buy levels fit a SnapQuote packet; got {bids.Length}.", nameof(bids));
        }

        if (asks.Length > BestFiveLevels)
        {
            throw new ArgumentException($"At most {BestFiveLevels} sell levels fit a SnapQuote packet; got {asks.Length}.", nameof(asks));
        }

        EnsureSize(destination, SnapQuotePacketSize);
        WriteHeader(destination, SnapQuoteMode, exchangeType, token, sequence, exchangeTimeMs, ltp);
        WriteQuoteFields(destination, quote);
        BinaryPrimitives.WriteInt64LittleEndian(destination[123..], snap.LastTradedTimestampSeconds);
        BinaryPrimitives.WriteInt64LittleEndian(destination[131..], snap.OpenInterest);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[139..], snap.OpenInterestChangePercent);
        for (var i = 0; i < BestFiveLevels; i++)
        {
            WriteDepthEntry(destination[(BestFiveOffset + (i * DepthEntrySize))..], 1, i < bids.Length ? bids[i] : default);
        }

        for (var i = 0; i < BestFiveLevels; i++)
        {
            WriteDepthEntry(destination[(BestFiveOffset + ((BestFiveLevels + i) * DepthEntrySize))..], 0, i < asks.Length ? asks[i] : default);
        }

        BinaryPrimitives.WriteInt64LittleEndian(destination[347..], snap.UpperCircuit);
        BinaryPrimitives.WriteInt64LittleEndian(destination[355..], snap.LowerCircuit);
        BinaryPrimitives.WriteInt64LittleEndian(destination[363..], snap.High52Week);
        BinaryPrimitives.WriteInt64LittleEndian(destination[371..], snap.Low52Week);
        return SnapQuotePacketSize;
    }

    private static void EnsureSize(Span<byte> destination, int size)
    {
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination needs {size} bytes; it has {destination.Length}.", nameof(destination));
        }
    }

    private static void WriteHeader(Span<byte> destination, byte mode, byte exchangeType, ReadOnlySpan<char> token, long sequence, long exchangeTimeMs, long ltp)
    {
        if (token.IsEmpty || token.Length > TokenFieldSize)
        {
            throw new ArgumentException($"A token is 1 to {TokenFieldSize} characters; got {token.Length}.", nameof(token));
        }

        destination[0] = mode;
        destination[1] = exchangeType;
        var tokenField = destination.Slice(2, TokenFieldSize);
        for (var i = 0; i < token.Length; i++)
        {
            var c = token[i];
            if (c is '\0' or > (char)0x7F)
            {
                throw new ArgumentException("A token must be printable ASCII.", nameof(token));
            }

            tokenField[i] = (byte)c;
        }

        tokenField[token.Length..].Clear();
        BinaryPrimitives.WriteInt64LittleEndian(destination[27..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(destination[35..], exchangeTimeMs);
        BinaryPrimitives.WriteInt64LittleEndian(destination[43..], ltp);
    }

    private static void WriteQuoteFields(Span<byte> destination, in SmartQuoteFields quote)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination[51..], quote.LastTradedQuantity);
        BinaryPrimitives.WriteInt64LittleEndian(destination[59..], quote.AverageTradedPrice);
        BinaryPrimitives.WriteInt64LittleEndian(destination[67..], quote.VolumeTradedToday);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[75..], quote.TotalBuyQuantity);
        BinaryPrimitives.WriteDoubleLittleEndian(destination[83..], quote.TotalSellQuantity);
        BinaryPrimitives.WriteInt64LittleEndian(destination[91..], quote.Open);
        BinaryPrimitives.WriteInt64LittleEndian(destination[99..], quote.High);
        BinaryPrimitives.WriteInt64LittleEndian(destination[107..], quote.Low);
        BinaryPrimitives.WriteInt64LittleEndian(destination[115..], quote.Close);
    }

    private static void WriteDepthEntry(Span<byte> destination, short flag, SmartDepthLevel level)
    {
        BinaryPrimitives.WriteInt16LittleEndian(destination, flag);
        BinaryPrimitives.WriteInt64LittleEndian(destination[2..], level.Quantity);
        BinaryPrimitives.WriteInt64LittleEndian(destination[10..], level.Price);
        BinaryPrimitives.WriteInt16LittleEndian(destination[18..], level.Orders);
    }
}
