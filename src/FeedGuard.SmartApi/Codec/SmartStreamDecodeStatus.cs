namespace FeedGuard.SmartApi.Codec;

/// <summary>The outcome of decoding one SmartStream binary packet.</summary>
public enum SmartStreamDecodeStatus : byte
{
    /// <summary>A tick was decoded.</summary>
    Ok = 0,

    /// <summary>The first byte is not mode 1 (LTP), 2 (Quote) or 3 (SnapQuote); includes an empty packet.</summary>
    UnknownMode = 1,

    /// <summary>The packet is not exactly 51, 123 or 379 bytes for its mode.</summary>
    WrongLength = 2,

    /// <summary>The exchange type byte is not one SmartAPI defines.</summary>
    UnknownExchangeType = 3,

    /// <summary>The token field is empty, not ASCII, or not NUL-terminated within 25 bytes.</summary>
    BadToken = 4,

    /// <summary>The token is not one of the subscribed instruments.</summary>
    UnknownToken = 5,

    /// <summary>The exchange timestamp is negative or beyond year 9999.</summary>
    BadTimestamp = 6,
}
