using System.Threading.Channels;
using FeedGuard.Ticks;

namespace FeedGuard.Buffers;

/// <summary>
/// Latest tick per instrument. A slot per instrument plus a queue of instrument ids with an unread
/// tick, so memory is fixed by the instrument count and instruments are read in the order they
/// first became pending (no instrument starves another).
/// </summary>
internal sealed class ConflatingBuffer : SubscriberBuffer
{
    private readonly Tick[] _slots;
    private readonly bool[] _pending;
    private readonly Channel<int> _ready;
    private readonly Lock _lock = new();
    private int _count;

    public ConflatingBuffer(string name, int instrumentCount)
        : base(name, BufferPolicy.LatestPerInstrument, instrumentCount)
    {
        _slots = new Tick[instrumentCount];
        _pending = new bool[instrumentCount];
        _ready = Channel.CreateBounded<int>(new BoundedChannelOptions(instrumentCount)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public override int Count => Volatile.Read(ref _count);

    public override bool TryRead(out Tick tick)
    {
        if (!_ready.Reader.TryRead(out var id))
        {
            tick = default;
            return false;
        }

        lock (_lock)
        {
            tick = _slots[id];
            _slots[id] = default;
            _pending[id] = false;
            _count--;
        }

        OnRead();
        return true;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) =>
        _ready.Reader.WaitToReadAsync(cancellationToken);

    protected override void CompleteCore() => _ready.Writer.TryComplete();

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
                _count++;

                // Cannot fail: at most one id per instrument is ever queued.
                _ready.Writer.TryWrite(id);
            }
        }

        if (overwrote)
        {
            CountDrop();
        }

        return true;
    }
}
