using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Sources;

/// <summary>The outcome of one poll: ticks for what was fetched, and why the rest was not.</summary>
/// <param name="Ticks">One tick per fetched instrument, <c>Source = Poll</c>.</param>
/// <param name="Unfetched">Instruments the broker did not return, each with its message.</param>
public sealed record PollResult(IReadOnlyList<Tick> Ticks, IReadOnlyList<PollMiss> Unfetched)
{
    /// <summary>A result with ticks and nothing missing.</summary>
    public static PollResult Of(IReadOnlyList<Tick> ticks) => new(ticks, []);
}

/// <summary>An instrument a poll did not return.</summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="Message">The broker's reason, free of credentials.</param>
public sealed record PollMiss(Instrument Instrument, string Message);
