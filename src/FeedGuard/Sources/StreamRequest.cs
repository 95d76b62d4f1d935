using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Sources;

/// <summary>What a streaming or polling source must deliver: every instrument of the registry, in one mode.</summary>
/// <param name="Instruments">The interned instruments, with zero-allocation lookup by token.</param>
/// <param name="Mode">LTP, Quote or Full.</param>
public sealed record StreamRequest(InstrumentRegistry Instruments, FeedMode Mode);
