using System.Numerics;
using FeedGuard.Ticks;

namespace FeedGuard.Buffers;

/// <summary>
/// Latest tick per instrument, without a lock. A slot per instrument plus a ring of instrument ids
/// with an unread tick, so memory is fixed by the instrument count and instruments are read in the
/// order they first became pending (no instrument starves another).
/// </summary>
/// <remarks>
/// Each slot carries a version (two per write, odd while the writer rewrites it: a sequence lock),
/// and each instrument the version waiting to be read (0: none). The writer rewrites the slot, then
/// makes its version the pending one: if another was pending, that tick is superseded unread (a drop,
/// counted by the writer); if none was, the instrument joins the ring. A reader claims ring entries
/// with a compare-and-swap (the ring's positions only grow, as in <see cref="RingBuffer"/>), swaps
/// the pending version out, and copies the slot if it still holds that version before and after the
/// copy. If the writer rewrote it meanwhile, the newer tick was queued again by that write (it found
/// nothing pending), and the claimed one is lost to the race and counted as dropped. So every tick
/// written is either read once or counted dropped once, and neither side ever waits.
/// </remarks>
internal sealed class ConflatingBuffer : SubscriberBuffer
{
    // Ids copied per claim in a batch read; the claim is one compare-and-swap for all of them.
    private const int MaxClaim = 64;

    private readonly Slot[] _slots;

    // At most one entry per pending instrument, so a ring at least instrumentCount long never overflows.
    private readonly int[] _ready;
    private readonly long _mask;

    public ConflatingBuffer(string name, int instrumentCount)
        : base(name, BufferPolicy.LatestPerInstrument, instrumentCount)
    {
        _slots = new Slot[instrumentCount];
        _ready = new int[(int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, instrumentCount))];
        _mask = _ready.Length - 1;
    }

    protected override int TryWriteCore(ReadOnlySpan<Tick> run, ref long now)
    {
        foreach (ref readonly var tick in run)
        {
            Write(tick);
        }

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

            // Read before the claim: once claimed, the writer may reuse the entry.
            var id = _ready[head & _mask];
            if (Interlocked.CompareExchange(ref Positions.Head, head + 1, head) == head && TryTake(id, out tick))
            {
                return true;
            }
        }
    }

    protected override int TryReadBatchCore(Span<Tick> destination)
    {
        Span<int> ids = stackalloc int[MaxClaim];
        var read = 0;
        while (read < destination.Length)
        {
            var head = Volatile.Read(ref Positions.Head);
            var available = Volatile.Read(ref Positions.Tail) - head;
            if (available <= 0)
            {
                break;
            }

            var count = (int)Math.Min(Math.Min(available, destination.Length - read), MaxClaim);
            for (var i = 0; i < count; i++)
            {
                ids[i] = _ready[(head + i) & _mask];
            }

            if (Interlocked.CompareExchange(ref Positions.Head, head + count, head) != head)
            {
                continue;
            }

            foreach (var id in ids[..count])
            {
                if (TryTake(id, out destination[read]))
                {
                    read++;
                }
            }
        }

        return read;
    }

    private void Write(in Tick tick)
    {
        var id = tick.Instrument.Id;
        ref var slot = ref _slots[id];
        var written = slot.Version + 2;

        // Odd first, and no store below may be seen before it, so a reader that sees any byte of the new tick
        // sees the slot is changing (a write barrier: free on x64, see InstrumentBook.Accept).
        Volatile.Write(ref slot.Version, written - 1);
        Volatile.WriteBarrier();
        slot.Tick = tick;
        Volatile.Write(ref slot.Version, written);

        // Only this writer makes the mark non-zero, and only the reader of the instrument's one ring entry
        // clears it: a mark seen clear has no entry left to clear it and stays clear until we set it, so a
        // plain store will do. The swap is paid only when a tick is still waiting, which a reader may be
        // taking at this very moment.
        if (Volatile.Read(ref slot.Pending) == 0)
        {
            Volatile.Write(ref slot.Pending, written);
            Enqueue(id);
        }
        else if (Interlocked.Exchange(ref slot.Pending, written) != 0)
        {
            CountDrop();
        }
        else
        {
            // The reader took the superseded tick between our look and the swap: this one is new to it.
            Enqueue(id);
        }
    }

    // Visible to readers at the next publish, whose full fence also orders the pending mark before it.
    private void Enqueue(int id)
    {
        _ready[Positions.WriteTail & _mask] = id;
        Positions.WriteTail++;
    }

    // For a claimed ring entry: its instrument is pending, and only this reader can take it.
    private bool TryTake(int id, out Tick tick)
    {
        ref var slot = ref _slots[id];
        var claimed = Interlocked.Exchange(ref slot.Pending, 0);
        if (claimed != 0 && Volatile.Read(ref slot.Version) == claimed)
        {
            tick = slot.Tick;

            // The copy's loads must not pass the version check below: a load barrier, free on x64.
            Volatile.ReadBarrier();
            if (Volatile.Read(ref slot.Version) == claimed)
            {
                return true;
            }
        }

        tick = default;
        CountDropLostToRace();
        return false;
    }

    /// <summary>
    /// One instrument's tick with its version and pending version beside it: a write and a take each touch
    /// one instrument's memory, instead of a word in two arrays shared with seven neighbours each, whose
    /// cache lines the writer and the reader would take from each other while working on different
    /// instruments.
    /// </summary>
    private struct Slot
    {
        /// <summary>Two per write, odd while the writer rewrites <see cref="Tick"/>.</summary>
        public long Version;

        /// <summary>The version waiting to be read, 0 when none.</summary>
        public long Pending;

        public Tick Tick;
    }
}
