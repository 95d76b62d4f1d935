namespace FeedGuard.Emulator.Kite;

/// <summary>The Kite ticker's subscription modes (protocols §2.2), named on the wire <c>"ltp"</c>, <c>"quote"</c>, <c>"full"</c>.</summary>
public enum KiteTickMode
{
    /// <summary><c>ltp</c>: token and last price, 8 bytes.</summary>
    Ltp = 1,

    /// <summary><c>quote</c>: 44 bytes (28 for an index). The mode a new subscription starts in.</summary>
    Quote = 2,

    /// <summary><c>full</c>: 184 bytes with timestamps, open interest and 5+5 depth (32 for an index).</summary>
    Full = 3,
}
