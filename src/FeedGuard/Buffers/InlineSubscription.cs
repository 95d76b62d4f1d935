namespace FeedGuard.Buffers;

/// <summary>
/// An inline subscriber's handle (<see cref="MarketFeed.SubscribeInline"/>): its counters, and
/// Dispose to leave. Once Dispose returns, the handler is not running and is not called again.
/// </summary>
public sealed class InlineSubscription : IDisposable, IAsyncDisposable
{
    private readonly Action<SubscriberBuffer> _unsubscribe;
    private int _disposed;

    internal InlineSubscription(InlineSubscriber subscriber, Action<SubscriberBuffer> unsubscribe)
    {
        Subscriber = subscriber;
        _unsubscribe = unsubscribe;
    }

    /// <summary>The subscriber's name.</summary>
    public string Name => Subscriber.Name;

    /// <summary>Ticks handed to the handler.</summary>
    public long Delivered => Subscriber.Written;

    /// <summary>Calls to the handler that threw.</summary>
    public long Errors => Subscriber.Errors;

    /// <summary>Calls that took longer than the slow-call threshold, or are still running past it.</summary>
    public long SlowCalls => Subscriber.SlowCalls;

    /// <summary>Slow episodes: runs of slow calls, each ended by a call within the threshold.</summary>
    public long SlowEpisodes => Subscriber.SlowEpisodes;

    /// <summary>True from a slow call (or one found running past the threshold) until the next call within it.</summary>
    public bool IsSlow => Subscriber.IsSlow;

    internal InlineSubscriber Subscriber { get; }

    /// <summary>Unsubscribes and waits for a call in progress to return (unless called from the handler).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unsubscribe(Subscriber);
            Subscriber.CompleteAndWait();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
