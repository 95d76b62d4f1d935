using FeedGuard.Ticks;

namespace FeedGuard.Integrity;

/// <summary>
/// The per-instrument ordering and de-duplication rule, as a pure function of the last delivered
/// tick and the newest exchange time delivered so far. So a consumer never sees time go backwards
/// and never sees the same update twice, whatever tiers overlap during a failover.
/// </summary>
/// <remarks>
/// Rules, in order:
/// <list type="number">
/// <item>An exchange time more than <c>futureTolerance</c> ahead of the receive time is implausible.</item>
/// <item>Same source, same exchange time, both with sequence numbers: a lower sequence is stale, the
/// same sequence a duplicate.</item>
/// <item>An exchange time before the newest delivered one is stale (a duplicate when the market data is
/// identical, so a late copy from the other tier is counted as the overlap it is).</item>
/// <item>Identical market data is a duplicate when it comes from the same source at the same exchange
/// time, from another source within <see cref="CrossSourceWindow"/> (tiers stamp time at different
/// resolutions: REST in seconds, the stream in milliseconds), or without an exchange time at all. A
/// simulated tick and a real one are never copies of each other, whatever their prices.</item>
/// <item>Everything else is delivered. A tick without an exchange time never moves the instrument's clock.</item>
/// </list>
/// </remarks>
internal static class TickGate
{
    /// <summary>Two tiers' copies of one update may carry times this far apart (one-second REST stamps).</summary>
    public static readonly long CrossSourceWindow = TimeSpan.TicksPerSecond;

    public static GateVerdict Check(in Tick tick, in Tick last, bool hasLast, long newestExchangeTime, long futureTolerance)
    {
        var time = tick.ExchangeTimeUtcTicks;
        var hasTime = tick.Has(TickFields.ExchangeTime);
        if (hasTime && time - tick.ReceiveTimeUtcTicks > futureTolerance)
        {
            return GateVerdict.Implausible;
        }

        if (!hasLast)
        {
            return GateVerdict.Deliver;
        }

        var lastHasTime = last.Has(TickFields.ExchangeTime);
        var sameSource = tick.Source == last.Source;
        if (hasTime && lastHasTime && sameSource && time == last.ExchangeTimeUtcTicks
            && tick.Has(TickFields.Sequence) && last.Has(TickFields.Sequence))
        {
            var sequence = tick.Sequence.GetValueOrDefault();
            var lastSequence = last.Sequence.GetValueOrDefault();
            if (sequence != lastSequence)
            {
                return sequence < lastSequence ? GateVerdict.Stale : GateVerdict.Deliver;
            }

            return GateVerdict.Duplicate;
        }

        // The first real tick after simulation may land on the walk's price: it is still news (real data
        // again, and its source must replace the simulated label), never the overlap of two tiers.
        var sameData = tick.HasSameMarketDataAs(last) && (tick.Source == TickSource.Simulated) == (last.Source == TickSource.Simulated);
        if (hasTime && newestExchangeTime != 0 && time < newestExchangeTime)
        {
            return sameData ? GateVerdict.Duplicate : GateVerdict.Stale;
        }

        if (sameData)
        {
            if (!hasTime || !lastHasTime)
            {
                return GateVerdict.Duplicate;
            }

            var apart = time - last.ExchangeTimeUtcTicks;
            if (sameSource ? apart == 0 : apart < CrossSourceWindow)
            {
                return GateVerdict.Duplicate;
            }
        }

        return GateVerdict.Deliver;
    }
}
