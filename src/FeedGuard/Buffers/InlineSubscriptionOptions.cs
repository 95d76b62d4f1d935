namespace FeedGuard.Buffers;

/// <summary>
/// Receives delivered ticks on the feed's ingest path, one call per delivered batch (one socket
/// message, one poll, one simulated step; split around any tick the integrity gate drops inside it),
/// in delivery order. The span is the batch's own memory, valid only during the call: copy what must
/// outlive it. Keep it short and never block in it: the next batch, every other
/// subscriber and the socket wait while it runs.
/// </summary>
public delegate void TickBatchHandler(ReadOnlySpan<Ticks.Tick> ticks);

/// <summary>How an inline subscriber (<see cref="MarketFeed.SubscribeInline"/>) is named and watched.</summary>
public sealed record InlineSubscriptionOptions
{
    /// <summary>A name for status, metrics and slow-consumer reports. Default <c>inline</c>.</summary>
    public string Name { get; init; } = "inline";

    /// <summary>
    /// A call that returns more than this after its batch reached the feed (or after the inline handler
    /// before it returned) starts a slow episode (one warning and a slow-consumer event); the first call
    /// within it ends the episode. A call still running past it is found by the feed's health check
    /// (every <see cref="MarketFeedOptions.HealthCheckInterval"/>), so a handler that hangs is reported
    /// while it hangs. Default 1 ms: at 100k ticks/s a millisecond is a hundred ticks queued behind the handler.
    /// </summary>
    public TimeSpan SlowCallThreshold { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Every problem with these options, each naming its key under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Validate(string prefix = "")
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return $"{prefix}Name must not be empty.";
        }

        if (SlowCallThreshold <= TimeSpan.Zero)
        {
            yield return $"{prefix}SlowCallThreshold must be positive (got {SlowCallThreshold}).";
        }
    }
}
