namespace FeedGuard.Events;

/// <summary>Which lower tiers served data during a gap.</summary>
[Flags]
public enum GapCoverage
{
    /// <summary>No data at all.</summary>
    None = 0,

    /// <summary>REST polling.</summary>
    Poll = 1,

    /// <summary>Simulated ticks.</summary>
    Simulated = 2,
}
