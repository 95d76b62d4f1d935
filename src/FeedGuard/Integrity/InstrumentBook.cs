using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Integrity;

/// <summary>
/// Everything the feed remembers about one instrument: the last delivered tick (which is both the
/// gate's reference and the latest-value cache), the newest exchange time, a bounded rolling window
/// of recent ticks, and freshness. Written only under the feed's ingest lock. Readers (status, the
/// dashboard, a strategy's <c>TryGetLatest</c>) never block that writer: a sequence lock makes them
/// copy again when a write overlapped their copy, so a 168-byte tick is never read torn and the ingest
/// path pays a store barrier per tick (free on x64) instead of a lock.
/// </summary>
internal sealed class InstrumentBook
{
    private readonly Tick[] _window;

    // Odd while Accept rewrites the book; readers retry when it was odd or changed across their copy.
    private int _version;

    // The latest tick lives in the window's newest slot (or in _latest when there is no window), so
    // accepting a tick copies it once. The latest real tick is copied aside only when a simulated tick
    // displaces it, which is rare.
    private Tick _latest;
    private bool _hasLatest;
    private Tick _latestReal;
    private bool _hasLatestReal;
    private bool _latestIsReal;
    private int _windowStart;
    private int _windowCount;
    private int _newest;
    private long _newestExchangeTime;
    private long _lastDeliveredAt;
    private int _stale;

    public InstrumentBook(Instrument instrument, int windowSize)
    {
        Instrument = instrument;
        _window = new Tick[Math.Max(windowSize, 0)];
    }

    public Instrument Instrument { get; }

    /// <summary>Receive time (UTC ticks) of the last delivered tick, 0 when none.</summary>
    public long LastDeliveredAt => Volatile.Read(ref _lastDeliveredAt);

    /// <summary>True while the instrument's session is open and no tick came for too long.</summary>
    public bool IsStale => Volatile.Read(ref _stale) != 0;

    /// <summary>The health check marks the instrument stale; true when it was not already.</summary>
    public bool TryMarkStale() => Interlocked.CompareExchange(ref _stale, 1, 0) == 0;

    /// <summary>The ingest path clears the mark on the next delivered tick; true when it was set.</summary>
    public bool TryClearStale() => Volatile.Read(ref _stale) != 0 && Interlocked.Exchange(ref _stale, 0) != 0;

    /// <summary>The broker's last error about this instrument on the stream (a refused subscription), or null.</summary>
    public string? SourceError { get; set; }

    /// <summary>Why the last poll did not return this instrument, or null.</summary>
    public string? Unfetched { get; set; }

    public long Duplicates;
    public long StaleDropped;

    public GateVerdict Check(in Tick tick, long futureTolerance) =>
        TickGate.Check(tick, Latest, _hasLatest, _newestExchangeTime, futureTolerance);

    // Written under the ingest lock only; read there without the sequence lock (same writer).
    private ref readonly Tick Latest => ref _window.Length > 0 ? ref _window[_newest] : ref _latest;

    /// <summary>Records a delivered tick: latest value, newest exchange time, rolling window.</summary>
    public void Accept(in Tick tick)
    {
        // Odd first, and no store below may be seen before it, so a reader that sees any byte of this write
        // sees the book is changing. That takes a write barrier, not the full fence of an atomic swap: on
        // x64 it costs nothing (stores are seen in program order; it only stops the JIT moving them), on
        // Arm it is the same full barrier as before.
        var version = _version;
        Volatile.Write(ref _version, version + 1);
        Volatile.WriteBarrier();
        var real = tick.Source != TickSource.Simulated;
        if (!real && _latestIsReal)
        {
            _latestReal = Latest;
        }

        if (_window.Length > 0)
        {
            var slot = _windowStart + _windowCount;
            if (slot >= _window.Length)
            {
                slot -= _window.Length;
            }

            _window[slot] = tick;
            _newest = slot;
            if (_windowCount < _window.Length)
            {
                _windowCount++;
            }
            else
            {
                _windowStart = _windowStart + 1 == _window.Length ? 0 : _windowStart + 1;
            }
        }
        else
        {
            _latest = tick;
        }

        _hasLatest = true;
        _latestIsReal = real;
        _hasLatestReal |= real;
        if (tick.Has(TickFields.ExchangeTime) && tick.ExchangeTimeUtcTicks > _newestExchangeTime)
        {
            _newestExchangeTime = tick.ExchangeTimeUtcTicks;
        }

        Volatile.Write(ref _version, version + 2);
        Volatile.Write(ref _lastDeliveredAt, tick.ReceiveTimeUtcTicks);
    }

    public bool TryGetLatest(out Tick tick)
    {
        (var has, tick) = ReadConsistent(static book => (book._hasLatest, book._hasLatest ? book.Latest : default));
        return has;
    }

    /// <summary>The last delivered tick that was market data (stream or poll), never a simulated one.</summary>
    public bool TryGetLatestReal(out Tick tick)
    {
        (var has, tick) = ReadConsistent(static book => (book._hasLatestReal, !book._hasLatestReal ? default : book._latestIsReal ? book.Latest : book._latestReal));
        return has;
    }

    /// <summary>The rolling window, oldest first.</summary>
    public Tick[] RecentTicks() => ReadConsistent(static book =>
    {
        var result = new Tick[book._windowCount];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = book._window[(book._windowStart + i) % book._window.Length];
        }

        return result;
    });

    // The reader's side of the sequence lock. A copy made while Accept ran may be torn (each field,
    // reference or index, is still whole, so it is only wrong, never unsafe) and is thrown away.
    private TResult ReadConsistent<TResult>(Func<InstrumentBook, TResult> read)
    {
        var spin = default(SpinWait);
        while (true)
        {
            var version = Volatile.Read(ref _version);
            if ((version & 1) == 0)
            {
                var result = read(this);

                // The copy's loads must not pass the second version read: a load barrier, free on x64.
                Volatile.ReadBarrier();
                if (Volatile.Read(ref _version) == version)
                {
                    return result;
                }
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
