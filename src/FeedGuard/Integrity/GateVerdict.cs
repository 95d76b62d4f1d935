namespace FeedGuard.Integrity;

/// <summary>What the integrity gate decided about one tick.</summary>
internal enum GateVerdict : byte
{
    /// <summary>New information, in order: deliver it.</summary>
    Deliver = 0,

    /// <summary>The same market state as the last delivered tick (a repeat, or the overlap of two tiers).</summary>
    Duplicate = 1,

    /// <summary>Older than what was already delivered: delivering it would move time backwards.</summary>
    Stale = 2,

    /// <summary>An exchange time implausibly far ahead of the local clock; accepting it would freeze the instrument.</summary>
    Implausible = 3,
}
