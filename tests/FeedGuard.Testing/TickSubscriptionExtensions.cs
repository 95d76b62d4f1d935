using FeedGuard.Buffers;
using FeedGuard.Ticks;

namespace FeedGuard.Testing;

/// <summary>Test helpers for reading subscriptions.</summary>
public static class TickSubscriptionExtensions
{
    /// <summary>Everything buffered right now, without waiting.</summary>
    public static List<Tick> DrainAvailable(this TickSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var ticks = new List<Tick>();
        while (subscription.TryRead(out var tick))
        {
            ticks.Add(tick);
        }

        return ticks;
    }
}
