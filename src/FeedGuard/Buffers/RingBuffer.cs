using System.Numerics;
using FeedGuard.Ticks;

namespace FeedGuard.Buffers;

/// <summary>
/// Drop-oldest and lossless buffers: a single-writer, single-reader ring without locks. Positions
/// only grow; the writer owns the tail (publishing it once per batch), the reader advances the head
/// with a compare-and-swap, and so does a drop-oldest writer when it drops. A reader copies ticks
/// before claiming them and discards the copy when the claim fails, so a tick the writer dropped and
/// overwrote meanwhile is never returned torn.
/// </summary>
internal sealed class RingBuffer : SubscriberBuffer
{
    // Claiming fewer ticks per compare-and-swap when a drop-oldest writer keeps winning the race.
    private const int MaxClaim = 256;

    private readonly Tick[] _slots;
    private readonly long _mask;
    private readonly int _lowWater;
    private readonly ReusableSignal _writer = new();

    public RingBuffer(string name, BufferPolicy policy, int capacity)
        : base(name, policy, capacity)
    {
        // A power-of-two ring at least Capacity long, so a slot is reused only once its previous position
        // is at least Capacity behind the tail, that is consumed or dropped.
        _slots = new Tick[(int)BitOperations.RoundUpToPowerOf2((uint)capacity)];
        _mask = _slots.Length - 1;
        _lowWater = capacity / 2;
    }

    public override ValueTask<bool> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        if (Policy != BufferPolicy.Wait)
        {
            return base.WaitForRoomAsync(cancellationToken);
        }

        if (HasRoom())
        {
            return new ValueTask<bool>(true);
        }

        // One writer at a time (the ingest lock), and it always awaits: the signal is never busy here.
        return _writer.TryWait(static ring => ring.HasRoom(), this, cancellationToken, out var wait)
            ? wait
            : throw new InvalidOperationException("A second writer waited on a subscriber buffer.");
    }

    protected override int TryWriteCore(ReadOnlySpan<Tick> run, ref long now)
    {
        var tail = Positions.WriteTail;

        // Room is counted from the head as last read: a reader that keeps up moves the head on every read,
        // and reading it on every write would pull the reader's cache line over once per batch.
        if (Capacity - (tail - Positions.SeenHead) < run.Length)
        {
            Positions.SeenHead = Volatile.Read(ref Positions.Head);
        }

        if (Capacity - (tail - Positions.SeenHead) < run.Length)
        {
            // Full, or about to be: tick by tick, so each drop or the lossless stop lands on the right tick.
            for (var i = 0; i < run.Length; i++)
            {
                if (!TryWriteOne(run[i]))
                {
                    return i;
                }
            }

            return run.Length;
        }

        // Room for the whole run: at most two copies (before and after the ring wraps). The slots are
        // free: the ring is at least Capacity long and the run ends within Capacity of the head.
        var start = (int)(tail & _mask);
        var first = Math.Min(run.Length, _slots.Length - start);
        run[..first].CopyTo(_slots.AsSpan(start));
        run[first..].CopyTo(_slots);
        Volatile.Write(ref Positions.WriteTail, tail + run.Length);
        return run.Length;
    }

    protected override bool TryReadCore(out Tick tick)
    {
        while (true)
        {
            var head = Volatile.Read(ref Positions.Head);
            if (head >= Volatile.Read(ref Positions.Tail))
            {
                tick = default;
                return false;
            }

            tick = _slots[head & _mask];
            if (Interlocked.CompareExchange(ref Positions.Head, head + 1, head) == head)
            {
                AfterRead();
                return true;
            }
        }
    }

    protected override int TryReadBatchCore(Span<Tick> destination)
    {
        var claim = MaxClaim;
        while (true)
        {
            var head = Volatile.Read(ref Positions.Head);
            var available = Volatile.Read(ref Positions.Tail) - head;
            if (available <= 0)
            {
                return 0;
            }

            var count = (int)Math.Min(Math.Min(available, destination.Length), claim);
            var start = (int)(head & _mask);
            var first = Math.Min(count, _slots.Length - start);
            _slots.AsSpan(start, first).CopyTo(destination);
            _slots.AsSpan(0, count - first).CopyTo(destination[first..]);
            if (Interlocked.CompareExchange(ref Positions.Head, head + count, head) == head)
            {
                AfterRead();
                return count;
            }

            // The writer dropped the oldest while we copied: retry smaller, so a busy writer cannot starve us.
            claim = Math.Max(1, count / 2);
        }
    }

    protected override void OnCompleted() => _writer.Signal();

    private bool TryWriteOne(in Tick tick)
    {
        var tail = Positions.WriteTail;
        if (tail - Volatile.Read(ref Positions.Head) >= Capacity)
        {
            if (Policy == BufferPolicy.Wait)
            {
                return false;
            }

            DropOldest(tail);
        }

        _slots[tail & _mask] = tick;
        Volatile.Write(ref Positions.WriteTail, tail + 1);
        return true;
    }

    private bool HasRoom() => IsCompleted || Volatile.Read(ref Positions.WriteTail) - Volatile.Read(ref Positions.Head) <= _lowWater;

    private void DropOldest(long tail)
    {
        var head = Volatile.Read(ref Positions.Head);
        while (tail - head >= Capacity)
        {
            var seen = Interlocked.CompareExchange(ref Positions.Head, head + 1, head);
            if (seen == head)
            {
                CountDrop();
                return;
            }

            // The reader took some meanwhile: there may be room now.
            head = seen;
        }
    }

    private void AfterRead()
    {
        // The claim was a full fence, so a writer that armed before it is seen here.
        if (_writer.IsArmed && HasRoom())
        {
            _writer.Signal();
        }
    }
}
