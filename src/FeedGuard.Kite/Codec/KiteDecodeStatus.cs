namespace FeedGuard.Kite.Codec;

/// <summary>The outcome of decoding one Kite ticker packet or frame.</summary>
public enum KiteDecodeStatus : byte
{
    /// <summary>Decoded.</summary>
    Ok = 0,

    /// <summary>An empty binary message (not even a heartbeat byte).</summary>
    EmptyFrame = 1,

    /// <summary>The frame ends before the packets its header or a length prefix announces; the rest of the frame is lost.</summary>
    Truncated = 2,

    /// <summary>Bytes are left over after the last packet the header announces.</summary>
    TrailingBytes = 3,

    /// <summary>
    /// The packet is not 8, 44 or 184 bytes (tradable) or 8, 28 or 32 bytes (index, segment 9), or is
    /// too short to carry a token.
    /// </summary>
    WrongLength = 4,

    /// <summary>The token is not one of the subscribed instruments.</summary>
    UnknownToken = 5,

    /// <summary>The caller's tick buffer was full; the packet was skipped.</summary>
    NoRoom = 6,
}
