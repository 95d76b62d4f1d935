using FeedGuard.Ticks;

namespace FeedGuard.Buffers;

/// <summary>
/// One subscriber's bounded buffer. The feed writes under its ingest lock (one writer at a time);
/// one reader drains it. Subclasses differ only in what they do when full.
/// </summary>
internal abstract class SubscriberBuffer
{
    private long _dropped;
    private long _written;
    private int _slow;
    private volatile bool _completed;

    protected SubscriberBuffer(string name, BufferPolicy policy, int capacity)
    {
        Name = name;
        Policy = policy;
        Capacity = capacity;
    }

    public string Name { get; }

    public BufferPolicy Policy { get; }

    public int Capacity { get; }

    /// <summary>Ticks dropped (or, for conflation, overwritten unread).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Ticks handed to this buffer.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>True while the subscriber is in a slow episode (it fell behind and has not caught up).</summary>
    public bool IsSlow => Volatile.Read(ref _slow) != 0;

    /// <summary>Called once when a slow episode starts; set by the hub.</summary>
    public Action<SubscriberBuffer>? SlowEpisodeStarted { get; set; }

    public abstract int Count { get; }

    /// <summary>
    /// Writes without waiting. False only for a full lossless buffer: the caller must <see cref="WriteAsync"/>.
    /// A completed buffer takes nothing and reports true: the ingest path may still hold a subscriber list
    /// from before an unsubscribe, and a subscriber that left is neither behind nor owed the tick.
    /// </summary>
    public bool TryWrite(in Tick tick)
    {
        if (_completed)
        {
            return true;
        }

        if (!TryWriteCore(tick))
        {
            if (_completed)
            {
                return true;
            }

            EnterSlowEpisode();
            return false;
        }

        Interlocked.Increment(ref _written);
        return true;
    }

    /// <summary>Waits for room (lossless buffers only).</summary>
    public async ValueTask WriteAsync(Tick tick, CancellationToken cancellationToken)
    {
        await WriteCoreAsync(tick, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _written);
    }

    public abstract bool TryRead(out Tick tick);

    public abstract ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken);

    /// <summary>No more ticks will come; readers finish after draining.</summary>
    public void Complete()
    {
        _completed = true;
        CompleteCore();
    }

    protected abstract void CompleteCore();

    protected abstract bool TryWriteCore(in Tick tick);

    protected virtual ValueTask WriteCoreAsync(Tick tick, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{Policy} buffers never wait.");

    protected void CountDrop()
    {
        Interlocked.Increment(ref _dropped);
        EnterSlowEpisode();
    }

    /// <summary>Called by readers: an episode ends once the subscriber has drained its buffer.</summary>
    protected void OnRead()
    {
        if (Volatile.Read(ref _slow) == 0)
        {
            return;
        }

        var dropsBefore = Dropped;
        if (Count == 0)
        {
            Volatile.Write(ref _slow, 0);

            // A drop that raced with the reset found the episode still open and stayed silent: open the next one.
            if (Dropped != dropsBefore)
            {
                EnterSlowEpisode();
            }
        }
    }

    private void EnterSlowEpisode()
    {
        if (Interlocked.CompareExchange(ref _slow, 1, 0) == 0)
        {
            SlowEpisodeStarted?.Invoke(this);
        }
    }
}
