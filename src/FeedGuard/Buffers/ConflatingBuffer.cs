using FeedGuard.Ticks;

namespace FeedGuard.Buffers;

/// <summary>
/// Latest tick per instrument. A slot per instrument plus a ring of instrument ids with an unread
/// tick, so memory is fixed by the instrument count and instruments are read in the order they
/// first became pending (no instrument starves another). Slots are overwritten in place, so writer
/// and reader share one lock; a batch read takes it once for many instruments.
/// </summary>
internal sealed class ConflatingBuffer : SubscriberBuffer
{
    private readonly Tick[] _slots;
    private readonly bool[] _pending;

    // At most one entry per instrument, so a ring of instrumentCount ids never overflows.
    private readonly int[] _ready;
    private readonly Lock _lock = new();
    private int _readyHead;
    private int _count;
    private bool _unpublished;

    public ConflatingBuffer(string name, int instrumentCount)
        : base(name, BufferPolicy.LatestPerInstrument, instrumentCount)
    {
        _slots = new Tick[instrumentCount];
        _pending = new bool[instrumentCount];
        _ready = new int[instrumentCount];
    }

    public override int Count => Volatile.Read(ref _count);

    protected override bool TryWriteCore(in Tick tick)
    {
        var id = tick.Instrument.Id;
        bool overwrote;
        lock (_lock)
        {
            overwrote = _pending[id];
            _slots[id] = tick;
            if (!overwrote)
            {
                _pending[id] = true;
                _ready[(_readyHead + _count) % _ready.Length] = id;
                _count++;
                _unpublished = true;
            }
        }

        if (overwrote)
        {
            CountDrop();
        }

        return true;
    }

    protected override bool PublishCore()
    {
        // Ticks are readable as soon as the lock is released; publishing only decides whether to wake the reader.
        if (!_unpublished)
        {
            return false;
        }

        _unpublished = false;
        Interlocked.MemoryBarrier();
        return true;
    }

    protected override bool TryReadCore(out Tick tick)
    {
        lock (_lock)
        {
            if (_count == 0)
            {
                tick = default;
                return false;
            }

            tick = Take();
            return true;
        }
    }

    protected override int TryReadBatchCore(Span<Tick> destination)
    {
        lock (_lock)
        {
            var n = Math.Min(_count, destination.Length);
            for (var i = 0; i < n; i++)
            {
                destination[i] = Take();
            }

            return n;
        }
    }

    // Under the lock, with at least one pending instrument.
    private Tick Take()
    {
        var id = _ready[_readyHead];
        _readyHead = _readyHead + 1 == _ready.Length ? 0 : _readyHead + 1;
        _count--;
        _pending[id] = false;
        var tick = _slots[id];
        _slots[id] = default;
        return tick;
    }
}
