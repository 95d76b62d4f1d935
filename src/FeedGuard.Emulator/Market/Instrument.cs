using FeedGuard.Emulator.SmartApi;

namespace FeedGuard.Emulator.Market;

/// <summary>
/// One instrument of the emulated market: a seeded random walk on the exchange's price grid,
/// its subscribers and a bounded log of what was sent for it. The pump is the only writer of
/// the price state; REST readers take a snapshot under the same lock.
/// </summary>
internal sealed class Instrument
{
    private readonly Lock _gate = new();
    private readonly Lock _logGate = new();
    private readonly Random _random;
    private readonly long _tick;
    private readonly bool _hasOpenInterest;
    private readonly SentTick[] _log;
    private int _logStart;
    private int _logCount;
    private long _packetsSent;
    private long _lastSentSequence;
    private Subscription[] _subscribers = [];

    // Price state, in the exchange's price unit.
    private long _sequence;
    private long _exchangeTimeMs;
    private long _ltp;
    private long _ltq;
    private long _volume;
    private double _turnover;
    private double _totalBuy;
    private double _totalSell;
    private readonly long _open;
    private long _high;
    private long _low;
    private readonly long _close;
    private long _openInterest;
    private long _high52;
    private long _low52;
    private readonly long _upperCircuit;
    private readonly long _lowerCircuit;
    private long _lastTradeSeconds;

    public Instrument(InstrumentKey key, int seed, long createdAtMs, long periodTicks, int sentLogCapacity)
    {
        Key = key;
        PeriodTicks = periodTicks;
        var hash = StableHash(seed, key);
        _random = new Random((int)(hash ^ (hash >> 32)));
        _tick = ExchangeTypes.TickSize(key.ExchangeType);
        _hasOpenInterest = ExchangeTypes.HasOpenInterest(key.ExchangeType);
        _log = new SentTick[Math.Max(1, sentLogCapacity)];

        // Start price: ₹50–₹5000 (₹50–₹120 for currency), on the grid, fixed by seed and token.
        var divisor = ExchangeTypes.Divisor(key.ExchangeType);
        var span = ExchangeTypes.IsCurrency(key.ExchangeType) ? 70 * divisor : 4950 * divisor;
        var start = (50 * divisor) + (long)(hash % (ulong)span);
        _close = start - (start % _tick);
        _open = OnGrid(_close + (_random.Next(-20, 21) * _tick));
        _ltp = _open;
        _high = _open;
        _low = _open;
        _upperCircuit = OnGrid(_close + (_close / 5));
        _lowerCircuit = OnGrid(_close - (_close / 5));
        _high52 = OnGrid(_close + (_close * 3 / 10));
        _low52 = OnGrid(_close - (_close * 3 / 10));
        _openInterest = _hasOpenInterest ? 100_000 + _random.Next(0, 5_000_000) : 0;
        _totalBuy = _random.Next(10_000, 1_000_000);
        _totalSell = _random.Next(10_000, 1_000_000);
        _exchangeTimeMs = createdAtMs;
        _lastTradeSeconds = createdAtMs / 1000;
    }

    private readonly record struct Subscription(ITickSubscriber Subscriber, byte ModeMask);

    public InstrumentKey Key { get; }

    /// <summary>Pump bookkeeping: TimeProvider ticks between updates (0 = never updates).</summary>
    public long PeriodTicks { get; }

    /// <summary>Pump bookkeeping: the TimeProvider timestamp of the next update.</summary>
    public long NextDue { get; set; }

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>The sequence number of the latest update (0 before the first), read without the lock.</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    public long LastSentSequence => Interlocked.Read(ref _lastSentSequence);

    /// <summary>Adds a (subscriber, mode) pair; returns false when it was already there.</summary>
    public bool AddSubscriber(ITickSubscriber subscriber, byte mode)
    {
        var bit = (byte)(1 << mode);
        lock (_gate)
        {
            var list = _subscribers;
            for (var i = 0; i < list.Length; i++)
            {
                if (ReferenceEquals(list[i].Subscriber, subscriber))
                {
                    if ((list[i].ModeMask & bit) != 0)
                    {
                        return false;
                    }

                    var copy = (Subscription[])list.Clone();
                    copy[i] = list[i] with { ModeMask = (byte)(list[i].ModeMask | bit) };
                    _subscribers = copy;
                    return true;
                }
            }

            _subscribers = [.. list, new Subscription(subscriber, bit)];
            return true;
        }
    }

    /// <summary>Removes a (subscriber, mode) pair; returns false when it was not there.</summary>
    public bool RemoveSubscriber(ITickSubscriber subscriber, byte mode)
    {
        var bit = (byte)(1 << mode);
        lock (_gate)
        {
            var list = _subscribers;
            for (var i = 0; i < list.Length; i++)
            {
                if (ReferenceEquals(list[i].Subscriber, subscriber) && (list[i].ModeMask & bit) != 0)
                {
                    var mask = (byte)(list[i].ModeMask & ~bit);
                    if (mask == 0)
                    {
                        _subscribers = [.. list.Where((_, j) => j != i)];
                    }
                    else
                    {
                        var copy = (Subscription[])list.Clone();
                        copy[i] = list[i] with { ModeMask = mask };
                        _subscribers = copy;
                    }

                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Moves the price one step and sends one packet per subscribed (socket, mode).</summary>
    public void Advance(long nowMs)
    {
        byte[]? ltpPacket = null, quotePacket = null, snapPacket = null;
        long sequence, ltp;
        var subscribers = _subscribers;
        var union = 0;
        foreach (var s in subscribers)
        {
            union |= s.ModeMask;
        }

        lock (_gate)
        {
            Step(nowMs);
            sequence = _sequence;
            ltp = _ltp;
            if ((union & (1 << SmartStreamEncoder.LtpMode)) != 0)
            {
                ltpPacket = new byte[SmartStreamEncoder.LtpPacketSize];
                SmartStreamEncoder.WriteLtp(ltpPacket, Key.ExchangeType, Key.Token, _sequence, _exchangeTimeMs, _ltp);
            }

            if ((union & (1 << SmartStreamEncoder.QuoteMode)) != 0)
            {
                quotePacket = new byte[SmartStreamEncoder.QuotePacketSize];
                var quote = QuoteFields();
                SmartStreamEncoder.WriteQuote(quotePacket, Key.ExchangeType, Key.Token, _sequence, _exchangeTimeMs, _ltp, quote);
            }

            if ((union & (1 << SmartStreamEncoder.SnapQuoteMode)) != 0)
            {
                snapPacket = new byte[SmartStreamEncoder.SnapQuotePacketSize];
                Span<SmartDepthLevel> bids = stackalloc SmartDepthLevel[SmartStreamEncoder.BestFiveLevels];
                Span<SmartDepthLevel> asks = stackalloc SmartDepthLevel[SmartStreamEncoder.BestFiveLevels];
                FillBook(bids, asks);
                var quote = QuoteFields();
                var snap = SnapFields();
                SmartStreamEncoder.WriteSnapQuote(snapPacket, Key.ExchangeType, Key.Token, _sequence, _exchangeTimeMs, _ltp, quote, snap, bids, asks);
            }
        }

        var time = Volatile.Read(ref _exchangeTimeMs);
        foreach (var s in subscribers)
        {
            if (ltpPacket is not null && (s.ModeMask & (1 << SmartStreamEncoder.LtpMode)) != 0)
            {
                s.Subscriber.Deliver(this, SmartStreamEncoder.LtpMode, ltpPacket, sequence, time, ltp);
            }

            if (quotePacket is not null && (s.ModeMask & (1 << SmartStreamEncoder.QuoteMode)) != 0)
            {
                s.Subscriber.Deliver(this, SmartStreamEncoder.QuoteMode, quotePacket, sequence, time, ltp);
            }

            if (snapPacket is not null && (s.ModeMask & (1 << SmartStreamEncoder.SnapQuoteMode)) != 0)
            {
                s.Subscriber.Deliver(this, SmartStreamEncoder.SnapQuoteMode, snapPacket, sequence, time, ltp);
            }
        }
    }

    /// <summary>The latest state, as the REST quote endpoint reports it.</summary>
    public QuoteSnapshot Snapshot()
    {
        lock (_gate)
        {
            var bids = new SmartDepthLevel[SmartStreamEncoder.BestFiveLevels];
            var asks = new SmartDepthLevel[SmartStreamEncoder.BestFiveLevels];
            FillBook(bids, asks);
            return new QuoteSnapshot(Key, _sequence, _exchangeTimeMs, _ltp, QuoteFields(), SnapFields(), bids, asks);
        }
    }

    public void RecordSent(long connectionId, byte mode, long sequence, long exchangeTimeMs, long ltp)
    {
        lock (_logGate)
        {
            _packetsSent++;
            if (sequence > _lastSentSequence)
            {
                _lastSentSequence = sequence;
            }

            var entry = new SentTick(connectionId, mode, Key.ExchangeType, Key.Token, sequence, exchangeTimeMs, ltp);
            if (_logCount < _log.Length)
            {
                _log[(_logStart + _logCount) % _log.Length] = entry;
                _logCount++;
            }
            else
            {
                _log[_logStart] = entry;
                _logStart = (_logStart + 1) % _log.Length;
            }
        }
    }

    public SentTick[] SentLog()
    {
        lock (_logGate)
        {
            var copy = new SentTick[_logCount];
            for (var i = 0; i < _logCount; i++)
            {
                copy[i] = _log[(_logStart + i) % _log.Length];
            }

            return copy;
        }
    }

    private void Step(long nowMs)
    {
        _sequence++;

        // Exchange time never goes backwards, even if a test clock is rewound.
        _exchangeTimeMs = Math.Max(_exchangeTimeMs, nowMs);
        _lastTradeSeconds = _exchangeTimeMs / 1000;
        var steps = _random.Next(-2, 3);
        _ltp = Math.Clamp(_ltp + (steps * _tick), Math.Max(_tick, _lowerCircuit), _upperCircuit);
        _ltq = _random.Next(1, 200);
        _volume += _ltq;
        _turnover += (double)_ltp * _ltq;
        _high = Math.Max(_high, _ltp);
        _low = Math.Min(_low, _ltp);
        _high52 = Math.Max(_high52, _ltp);
        _low52 = Math.Min(_low52, _ltp);
        _totalBuy = Math.Max(0, _totalBuy + _random.Next(-500, 501));
        _totalSell = Math.Max(0, _totalSell + _random.Next(-500, 501));
        if (_hasOpenInterest)
        {
            _openInterest = Math.Max(0, _openInterest + _random.Next(-100, 101));
        }
    }

    private SmartQuoteFields QuoteFields() => new(
        _ltq,
        _volume == 0 ? _ltp : (long)(_turnover / _volume),
        _volume,
        _totalBuy,
        _totalSell,
        _open,
        _high,
        _low,
        _close);

    private SmartSnapQuoteFields SnapFields() => new(
        _lastTradeSeconds,
        _openInterest,
        0.0,
        _upperCircuit,
        _lowerCircuit,
        _high52,
        _low52);

    private void FillBook(Span<SmartDepthLevel> bids, Span<SmartDepthLevel> asks)
    {
        // The book is a pure function of price and sequence so every reader sees the same levels.
        for (var i = 0; i < bids.Length; i++)
        {
            var q = 25 * (1 + (int)((_sequence + (i * 7)) % 40));
            bids[i] = new SmartDepthLevel(q, _ltp - ((i + 1) * _tick), (short)(1 + ((_sequence + i) % 9)));
            asks[i] = new SmartDepthLevel(q + 25, _ltp + ((i + 1) * _tick), (short)(1 + ((_sequence + i + 3) % 9)));
        }
    }

    private long OnGrid(long price) => Math.Max(_tick, price - (price % _tick));

    private static ulong StableHash(int seed, InstrumentKey key)
    {
        // FNV-1a: stable across processes and runtimes, unlike string.GetHashCode.
        var h = 14695981039346656037UL;
        void Mix(byte b)
        {
            h ^= b;
            h *= 1099511628211UL;
        }

        for (var i = 0; i < 4; i++)
        {
            Mix((byte)(seed >> (8 * i)));
        }

        Mix(key.ExchangeType);
        foreach (var c in key.Token)
        {
            Mix((byte)c);
        }

        return h;
    }
}
