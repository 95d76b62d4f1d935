using FeedGuard.Ticks;

namespace FeedGuard.Buffers;

/// <summary>
/// One consumer's view of the feed: a bounded buffer with an explicit policy, read with
/// <c>await foreach</c> or <see cref="ReadAsync"/>. Dispose to unsubscribe. Ticks are ordered per
/// instrument and never repeat; when the feed stops the enumeration ends after the buffer drains.
/// </summary>
public sealed class TickSubscription : IAsyncEnumerable<Tick>, IAsyncDisposable
{
    private readonly Action<SubscriberBuffer> _unsubscribe;
    private int _disposed;

    internal TickSubscription(SubscriberBuffer buffer, Action<SubscriberBuffer> unsubscribe)
    {
        Buffer = buffer;
        _unsubscribe = unsubscribe;
    }

    /// <summary>The subscriber's name.</summary>
    public string Name => Buffer.Name;

    /// <summary>The buffer policy.</summary>
    public BufferPolicy Policy => Buffer.Policy;

    /// <summary>The buffer's bound (instrument count for conflation).</summary>
    public int Capacity => Buffer.Capacity;

    /// <summary>Ticks waiting to be read.</summary>
    public int Count => Buffer.Count;

    /// <summary>Ticks this subscriber lost to its policy (dropped or conflated).</summary>
    public long Dropped => Buffer.Dropped;

    /// <summary>Ticks handed to this subscriber's buffer.</summary>
    public long Delivered => Buffer.Written;

    /// <summary>Times the subscriber fell behind: each slow episode, from its first drop or wait until it drains.</summary>
    public long SlowEpisodes => Buffer.SlowEpisodes;

    /// <summary>True while the subscriber is behind (from its first drop or wait until it drains).</summary>
    public bool IsSlow => Buffer.IsSlow;

    internal SubscriberBuffer Buffer { get; }

    /// <summary>Takes a tick if one is waiting.</summary>
    public bool TryRead(out Tick tick) => Buffer.TryRead(out tick);

    /// <summary>
    /// Takes as many waiting ticks as fit in <paramref name="destination"/>, oldest first, and returns how
    /// many (0 when none is waiting). The cheapest way to drain: one claim for many ticks. Pair it with
    /// <see cref="WaitToReadAsync"/> when it returns 0.
    /// </summary>
    public int TryReadBatch(Span<Tick> destination) => Buffer.TryReadBatch(destination);

    /// <summary>Waits until a tick is available; false when the feed has stopped and the buffer is empty.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => Buffer.WaitToReadAsync(cancellationToken);

    /// <summary>The next tick. Throws <see cref="InvalidOperationException"/> when the feed stopped and nothing is left.</summary>
    public async ValueTask<Tick> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (Buffer.TryRead(out var tick))
            {
                return tick;
            }

            if (!await Buffer.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"Subscription '{Name}' has ended: the feed stopped or the subscription was disposed.");
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerator<Tick> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        while (await Buffer.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (Buffer.TryRead(out var tick))
            {
                yield return tick;
            }
        }
    }

    /// <summary>Unsubscribes; pending ticks can still be read, then the enumeration ends.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _unsubscribe(Buffer);
            Buffer.Complete();
        }

        return ValueTask.CompletedTask;
    }
}
