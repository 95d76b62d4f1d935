using System.Threading.Channels;

namespace FeedGuard.Events;

/// <summary>
/// One reader's ordered view of the feed's events, bounded: if the reader falls more than its
/// capacity behind, the oldest events are dropped and counted. Dispose to unsubscribe.
/// </summary>
public sealed class EventSubscription : IAsyncEnumerable<FeedEvent>, IAsyncDisposable
{
    private readonly Channel<FeedEvent> _channel;
    private readonly Action<EventSubscription> _unsubscribe;
    private long _dropped;

    internal EventSubscription(int capacity, Action<EventSubscription> unsubscribe)
    {
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<FeedEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Events lost because this reader fell behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Takes an event if one is waiting.</summary>
    public bool TryRead(out FeedEvent? feedEvent) => _channel.Reader.TryRead(out feedEvent);

    /// <summary>The next event; throws <see cref="ChannelClosedException"/> once the feed stopped and all were read.</summary>
    public ValueTask<FeedEvent> ReadAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAsync(cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerator<FeedEvent> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        _channel.Reader.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Unsubscribes; events already buffered can still be read.</summary>
    public ValueTask DisposeAsync()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    internal void Write(FeedEvent feedEvent) => _channel.Writer.TryWrite(feedEvent);

    internal void Complete() => _channel.Writer.TryComplete();
}
