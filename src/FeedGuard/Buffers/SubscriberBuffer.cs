using FeedGuard.Events;
using FeedGuard.Ticks;

namespace FeedGuard.Buffers;

/// <summary>
/// One subscriber's bounded buffer. One writer at a time (the feed's ingest path, under its lock),
/// one reader. The writer adds each run of ticks the gate admitted with one <see cref="TryWrite"/>
/// (a buffer with room copies it in one go, not tick by tick) and makes a batch visible with one
/// <see cref="Publish"/>, so the reader is woken at most once per batch, not per tick. Parking,
/// for the reader and for a lossless writer, reuses one <see cref="ReusableSignal"/> each: no
/// allocation per wait. Subclasses differ only in how they store ticks and what they do when full.
/// </summary>
internal abstract class SubscriberBuffer
{
    private readonly ReusableSignal _reader = new();

    /// <summary>Positions and counters; the writer's and the reader's on separate cache lines.</summary>
    protected BufferPositions Positions;

    // For a second reader waiting at the same time (several GetNextTickAsync callers on the default
    // subscription): rare, so it may allocate. Completed and cleared by the next publish.
    private TaskCompletionSource? _sharedWait;
    private int _slow;
    private long _slowEpisodes;
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
    public long Dropped => Volatile.Read(ref Positions.Dropped) + Volatile.Read(ref Positions.DroppedByReaders);

    /// <summary>Ticks handed to this buffer.</summary>
    public long Written => Volatile.Read(ref Positions.Written);

    /// <summary>True while the subscriber is in a slow episode (it fell behind and has not caught up).</summary>
    public bool IsSlow => Volatile.Read(ref _slow) != 0;

    /// <summary>Slow episodes so far, each one reported or counted into the next report.</summary>
    public long SlowEpisodes => Volatile.Read(ref _slowEpisodes);

    /// <summary>Called once when a slow episode starts; set by the hub.</summary>
    public Action<SubscriberBuffer>? SlowEpisodeStarted { get; set; }

    /// <summary>Spaces out the reports of this subscriber's slow episodes; set by the hub.</summary>
    public ReportThrottle? SlowReports { get; set; }

    /// <summary>Ticks the reader can take now (always 0 for an inline subscriber, whose positions never move).</summary>
    public int Count => (int)Math.Max(0, Volatile.Read(ref Positions.Tail) - Volatile.Read(ref Positions.Head));

    protected bool IsCompleted => _completed;

    /// <summary>
    /// Writes a run of ticks without waiting and returns how many it took; the reader sees them after the
    /// next <see cref="Publish"/>. Fewer than the run only for a full lossless buffer: the caller must
    /// <see cref="Publish"/>, <see cref="WaitForRoomAsync"/> and write the rest. A completed buffer takes
    /// nothing and reports the whole run: the ingest path may still hold a subscriber list from before an
    /// unsubscribe, and a subscriber that left is neither behind nor owed the ticks.
    /// </summary>
    /// <param name="run">The ticks, in delivery order.</param>
    /// <param name="now">
    /// The feed clock's latest reading on this delivery (when the batch reached the feed, or when the last
    /// timed handler returned): a subscriber that times its consumer starts from it and moves it on, so a
    /// message costs one clock reading per inline handler instead of two.
    /// </param>
    public int TryWrite(ReadOnlySpan<Tick> run, ref long now)
    {
        if (_completed)
        {
            return run.Length;
        }

        var taken = TryWriteCore(run, ref now);
        if (taken < run.Length)
        {
            EnterSlowEpisode();
        }

        // One writer at a time (the ingest lock), so a plain add published for readers is enough.
        Volatile.Write(ref Positions.Written, Positions.Written + taken);
        return taken;
    }

    /// <summary>Makes what was written visible to the reader and wakes it if it is parked. Once per batch.</summary>
    public void Publish()
    {
        // Nothing new to read: an inline subscriber (its positions never move), or a conflating write that only
        // overwrote instruments already pending, which the reader sees at once. Nobody to wake either.
        if (Positions.WriteTail == Positions.Tail)
        {
            return;
        }

        // A full fence: a reader that armed after it sees the ticks, one that armed before is woken.
        Interlocked.Exchange(ref Positions.Tail, Positions.WriteTail);
        _reader.Signal();
        WakeSharedWaiters();
    }

    /// <summary>
    /// Waits until a full lossless buffer has drained to its low-water mark (hysteresis: the writer then
    /// writes many ticks before it can be full again, instead of waking and parking once per tick), or
    /// until the buffer completes. Call after <see cref="Publish"/>.
    /// </summary>
    public virtual ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"{Policy} buffers never wait.");

    /// <summary>Takes one tick if one is waiting.</summary>
    public bool TryRead(out Tick tick)
    {
        var read = TryReadCore(out tick);
        OnRead();
        return read;
    }

    /// <summary>Takes up to <paramref name="destination"/>'s length of waiting ticks, oldest first; how many.</summary>
    public int TryReadBatch(Span<Tick> destination)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        var read = TryReadBatchCore(destination);
        OnRead();
        return read;
    }

    /// <summary>True when a tick is waiting (or may be: wake-ups can be spurious); false once completed and drained.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        if (Count > 0)
        {
            return new ValueTask<bool>(true);
        }

        if (_completed)
        {
            return new ValueTask<bool>(Count > 0);
        }

        // A busy feed publishes again within microseconds: spinning that long is far cheaper than parking
        // and a thread-pool wake-up per batch. Only SpinWait's busy-waiting iterations (exponentially
        // longer, a few microseconds in all; none on one core), never its yielding ones: a yield hands the
        // core to whatever else can run (on two cores, often the ingest path or the sender) and the reader
        // may not get it back for a scheduler slice, which showed as the tail latency of the hand-off.
        var spin = default(SpinWait);
        while (!spin.NextSpinWillYield)
        {
            spin.SpinOnce(sleep1Threshold: -1);
            if (Count > 0)
            {
                return new ValueTask<bool>(true);
            }
        }

        return WaitForTicksAsync(cancellationToken);
    }

    /// <summary>No more ticks will come; readers finish after draining, a waiting writer is released.</summary>
    public void Complete()
    {
        // Not Publish: only the writer moves the published end. A batch in flight is published by the
        // writer as it ends, and its ticks are readable until the reader sees the buffer empty.
        _completed = true;
        Interlocked.MemoryBarrier();
        _reader.Signal();
        WakeSharedWaiters();
        OnCompleted();
    }

    /// <summary>
    /// Stores ticks privately (not yet visible); how many, fewer than the run only when full and the policy
    /// is to wait. <paramref name="now"/> is as in <see cref="TryWrite"/>; buffers leave it alone.
    /// </summary>
    protected abstract int TryWriteCore(ReadOnlySpan<Tick> run, ref long now);

    protected abstract bool TryReadCore(out Tick tick);

    protected abstract int TryReadBatchCore(Span<Tick> destination);

    /// <summary>Releases anything waiting on the writer's side.</summary>
    protected virtual void OnCompleted()
    {
    }

    /// <summary>Called by the writer only.</summary>
    protected void CountDrop()
    {
        Volatile.Write(ref Positions.Dropped, Positions.Dropped + 1);
        EnterSlowEpisode();
    }

    /// <summary>
    /// Called by a reader, any thread: a tick it claimed was overwritten while it read, and the newer
    /// one is queued in its place. A race with the writer, not a reader falling behind, so no slow episode.
    /// </summary>
    protected void CountDropLostToRace() => Interlocked.Increment(ref Positions.DroppedByReaders);

    private ValueTask<bool> WaitForTicksAsync(CancellationToken cancellationToken) =>
        _reader.TryWait(static buffer => buffer.Count > 0 || buffer._completed, this, cancellationToken, out var wait)
            ? wait
            : WaitSharedAsync(cancellationToken);

    private async ValueTask<bool> WaitSharedAsync(CancellationToken cancellationToken)
    {
        var shared = Volatile.Read(ref _sharedWait);
        if (shared is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            shared = Interlocked.CompareExchange(ref _sharedWait, created, null) ?? created;
        }

        // Same handshake as the reusable signal: registered (fence), then the state checked again.
        Interlocked.MemoryBarrier();
        if (Count > 0 || _completed)
        {
            return true;
        }

        await shared.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void WakeSharedWaiters()
    {
        if (Volatile.Read(ref _sharedWait) is { } shared && Interlocked.CompareExchange(ref _sharedWait, null, shared) == shared)
        {
            shared.TrySetResult();
        }
    }

    /// <summary>Ends a slow episode, for subscribers whose episode does not end by draining a buffer.</summary>
    protected void LeaveSlowEpisode()
    {
        if (Volatile.Read(ref _slow) != 0)
        {
            Volatile.Write(ref _slow, 0);
        }
    }

    /// <summary>An episode ends once the subscriber has drained its buffer.</summary>
    private void OnRead()
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

    /// <summary>Opens a slow episode if none is open; the first one reports once.</summary>
    protected void EnterSlowEpisode()
    {
        // Under overload nearly every write drops: a plain read keeps the open episode's path free of atomics.
        if (Volatile.Read(ref _slow) == 0 && Interlocked.CompareExchange(ref _slow, 1, 0) == 0)
        {
            Interlocked.Increment(ref _slowEpisodes);
            SlowEpisodeStarted?.Invoke(this);
        }
    }
}
