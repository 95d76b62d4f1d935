using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Sources.Rest;

/// <summary>
/// What one poll has gathered so far: ticks, misses, and every instrument already accounted for
/// (answered with a tick or a miss), so no instrument is reported twice.
/// </summary>
public sealed class PollCollector
{
    /// <summary>Creates an empty collector sized for <paramref name="capacity"/> ticks.</summary>
    public PollCollector(int capacity = 0)
    {
        Ticks = new List<Tick>(capacity);
    }

    /// <summary>One tick per answered instrument.</summary>
    public List<Tick> Ticks { get; }

    /// <summary>Instruments the broker answered without a quote, each with its reason.</summary>
    public List<PollMiss> Misses { get; } = [];

    /// <summary>Instruments accounted for, by a tick or a miss.</summary>
    public HashSet<Instrument> Answered { get; } = [];

    /// <summary>Adds a miss for <paramref name="instrument"/> unless it is already accounted for.</summary>
    public void Miss(Instrument instrument, string message)
    {
        if (Answered.Add(instrument))
        {
            Misses.Add(new PollMiss(instrument, message));
        }
    }
}
