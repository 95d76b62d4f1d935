using System.Runtime.InteropServices;
using FeedGuard.Instruments;

namespace FeedGuard.Ticks;

/// <summary>
/// One market update, the same shape whatever broker or tier produced it. Prices are stored as
/// scaled integers with one <see cref="PriceScale"/> per tick (exact, compact, and what the wire
/// carries) and read as <see cref="decimal"/>. Optional fields are <c>null</c> when the source did
/// not carry them; <see cref="Fields"/> says which are present.
/// </summary>
/// <remarks>
/// Create with the constructor and set optional fields with an object initializer:
/// <code>new Tick(instrument, TickSource.Stream, 304550, 2, now) { ExchangeTime = t, Volume = 1200 }</code>
/// A decoder builds the whole tick in one step from a <see cref="TickValues"/> instead.
/// </remarks>
[StructLayout(LayoutKind.Auto)]
public readonly struct Tick : IEquatable<Tick>
{
    // The two totals share one public flag (present when both are); each also needs its own bit, so
    // setting one neither invents the other as 0 nor, when set to null, clears the other.
    private const byte BuyTotal = 1;
    private const byte SellTotal = 2;

    // A handle, not a reference: a tick stays plain data, copied without GC write barriers (see InstrumentHandles).
    private readonly int _instrument;
    private readonly TickFields _fields;
    private readonly byte _totals;
    private readonly long _exchangeTimeTicks;
    private readonly long _sequence;
    private readonly long _lastQuantity;
    private readonly long _volume;
    private readonly long _averagePriceUnits;
    private readonly long _totalBuyQuantity;
    private readonly long _totalSellQuantity;
    private readonly long _openUnits;
    private readonly long _highUnits;
    private readonly long _lowUnits;
    private readonly long _closeUnits;
    private readonly long _openInterest;
    private readonly long _bidPriceUnits;
    private readonly long _bidQuantity;
    private readonly long _askPriceUnits;
    private readonly long _askQuantity;

    /// <summary>Creates a tick with its required fields.</summary>
    /// <param name="instrument">The interned instrument.</param>
    /// <param name="source">The tier that produced it.</param>
    /// <param name="lastPriceUnits">Last traded price in units of 10^-<paramref name="priceScale"/>.</param>
    /// <param name="priceScale">Decimal places of every price in this tick (2 for paise).</param>
    /// <param name="receiveTime">When FeedGuard received it (from the injected clock).</param>
    public Tick(Instrument instrument, TickSource source, long lastPriceUnits, byte priceScale, DateTimeOffset receiveTime)
        : this(instrument, source, lastPriceUnits, priceScale, receiveTime.UtcTicks, default(TickValues))
    {
    }

    /// <summary>
    /// Creates a whole tick in one step from its required fields and every optional field at once:
    /// the decoders' path, with no per-field nullable or flag work (see <see cref="TickValues"/>).
    /// </summary>
    /// <param name="instrument">The interned instrument.</param>
    /// <param name="source">The tier that produced it.</param>
    /// <param name="lastPriceUnits">Last traded price in units of 10^-<paramref name="priceScale"/>.</param>
    /// <param name="priceScale">Decimal places of every price in this tick.</param>
    /// <param name="receiveTimeUtcTicks">When FeedGuard received it, in UTC ticks (from the injected clock).</param>
    /// <param name="values">The optional fields and the mask of those present.</param>
    public Tick(Instrument instrument, TickSource source, long lastPriceUnits, byte priceScale, long receiveTimeUtcTicks, in TickValues values)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priceScale, Prices.MaxScale);
        _instrument = instrument.Handle;
        Source = source;
        LastPriceUnits = lastPriceUnits;
        PriceScale = priceScale;
        ReceiveTimeUtcTicks = receiveTimeUtcTicks;
        _fields = values.Fields;
        _totals = (values.Fields & TickFields.BuySellTotals) != 0 ? (byte)(BuyTotal | SellTotal) : (byte)0;
        _exchangeTimeTicks = values.ExchangeTimeUtcTicks;
        _sequence = values.Sequence;
        _lastQuantity = values.LastQuantity;
        _volume = values.Volume;
        _averagePriceUnits = values.AveragePriceUnits;
        _totalBuyQuantity = values.TotalBuyQuantity;
        _totalSellQuantity = values.TotalSellQuantity;
        _openUnits = values.OpenUnits;
        _highUnits = values.HighUnits;
        _lowUnits = values.LowUnits;
        _closeUnits = values.CloseUnits;
        _openInterest = values.OpenInterest;
        _bidPriceUnits = values.BidPriceUnits;
        _bidQuantity = values.BidQuantity;
        _askPriceUnits = values.AskPriceUnits;
        _askQuantity = values.AskQuantity;
    }

    /// <summary>The instrument (interned; compare by reference).</summary>
    public Instrument Instrument => InstrumentHandles.Get(_instrument)!;

    /// <summary>Stream, Poll or Simulated.</summary>
    public TickSource Source { get; }

    /// <summary>Which optional fields are present.</summary>
    public TickFields Fields => _fields;

    /// <summary>Decimal places of every price field in this tick.</summary>
    public byte PriceScale { get; }

    /// <summary>Last traded price in units of 10^-<see cref="PriceScale"/>.</summary>
    public long LastPriceUnits { get; }

    /// <summary>Last traded price, exact.</summary>
    public decimal LastPrice => Prices.ToDecimal(LastPriceUnits, PriceScale);

    /// <summary>Local receive time, UTC ticks (100 ns) from the injected clock.</summary>
    public long ReceiveTimeUtcTicks { get; }

    /// <summary>Local receive time.</summary>
    public DateTimeOffset ReceiveTime => new(ReceiveTimeUtcTicks, TimeSpan.Zero);

    /// <summary>Exchange time in UTC ticks, or 0 when the source gave none.</summary>
    public long ExchangeTimeUtcTicks => _exchangeTimeTicks;

    /// <summary>The exchange's timestamp for this update, when the source gives one.</summary>
    public DateTimeOffset? ExchangeTime
    {
        get => Has(TickFields.ExchangeTime) ? new DateTimeOffset(_exchangeTimeTicks, TimeSpan.Zero) : null;
        init { _exchangeTimeTicks = value?.UtcTicks ?? 0; _fields = Mark(_fields, TickFields.ExchangeTime, value.HasValue); }
    }

    /// <summary>The broker's sequence number, when it gives one.</summary>
    public long? Sequence
    {
        get => Get(TickFields.Sequence, _sequence);
        init { _sequence = value ?? 0; _fields = Mark(_fields, TickFields.Sequence, value.HasValue); }
    }

    /// <summary>Quantity of the last trade.</summary>
    public long? LastQuantity
    {
        get => Get(TickFields.LastQuantity, _lastQuantity);
        init { _lastQuantity = value ?? 0; _fields = Mark(_fields, TickFields.LastQuantity, value.HasValue); }
    }

    /// <summary>Volume traded today.</summary>
    public long? Volume
    {
        get => Get(TickFields.Volume, _volume);
        init { _volume = value ?? 0; _fields = Mark(_fields, TickFields.Volume, value.HasValue); }
    }

    /// <summary>Average traded price in units of 10^-<see cref="PriceScale"/>.</summary>
    public long AveragePriceUnits
    {
        get => _averagePriceUnits;
        init { _averagePriceUnits = value; _fields |= TickFields.AveragePrice; }
    }

    /// <summary>Average traded price today.</summary>
    public decimal? AveragePrice => Price(TickFields.AveragePrice, _averagePriceUnits);

    /// <summary>Total pending buy quantity; independent of <see cref="TotalSellQuantity"/>.</summary>
    public long? TotalBuyQuantity
    {
        get => (_totals & BuyTotal) != 0 ? _totalBuyQuantity : null;
        init
        {
            _totalBuyQuantity = value ?? 0;
            _totals = value.HasValue ? (byte)(_totals | BuyTotal) : (byte)(_totals & ~BuyTotal);
            _fields = Mark(_fields, TickFields.BuySellTotals, _totals == (BuyTotal | SellTotal));
        }
    }

    /// <summary>Total pending sell quantity; independent of <see cref="TotalBuyQuantity"/>.</summary>
    public long? TotalSellQuantity
    {
        get => (_totals & SellTotal) != 0 ? _totalSellQuantity : null;
        init
        {
            _totalSellQuantity = value ?? 0;
            _totals = value.HasValue ? (byte)(_totals | SellTotal) : (byte)(_totals & ~SellTotal);
            _fields = Mark(_fields, TickFields.BuySellTotals, _totals == (BuyTotal | SellTotal));
        }
    }

    /// <summary>Day open in units; setting any OHLC unit field marks all four present.</summary>
    public long OpenUnits { get => _openUnits; init { _openUnits = value; _fields |= TickFields.Ohlc; } }

    /// <summary>Day high in units.</summary>
    public long HighUnits { get => _highUnits; init { _highUnits = value; _fields |= TickFields.Ohlc; } }

    /// <summary>Day low in units.</summary>
    public long LowUnits { get => _lowUnits; init { _lowUnits = value; _fields |= TickFields.Ohlc; } }

    /// <summary>Previous close in units.</summary>
    public long CloseUnits { get => _closeUnits; init { _closeUnits = value; _fields |= TickFields.Ohlc; } }

    /// <summary>Day open.</summary>
    public decimal? Open => Price(TickFields.Ohlc, _openUnits);

    /// <summary>Day high.</summary>
    public decimal? High => Price(TickFields.Ohlc, _highUnits);

    /// <summary>Day low.</summary>
    public decimal? Low => Price(TickFields.Ohlc, _lowUnits);

    /// <summary>Previous close.</summary>
    public decimal? Close => Price(TickFields.Ohlc, _closeUnits);

    /// <summary>Open interest (derivatives).</summary>
    public long? OpenInterest
    {
        get => Get(TickFields.OpenInterest, _openInterest);
        init { _openInterest = value ?? 0; _fields = Mark(_fields, TickFields.OpenInterest, value.HasValue); }
    }

    /// <summary>Best bid price in units.</summary>
    public long BidPriceUnits { get => _bidPriceUnits; init { _bidPriceUnits = value; _fields |= TickFields.BestBid; } }

    /// <summary>Best bid quantity.</summary>
    public long BidQuantity { get => _bidQuantity; init { _bidQuantity = value; _fields |= TickFields.BestBid; } }

    /// <summary>Best ask price in units.</summary>
    public long AskPriceUnits { get => _askPriceUnits; init { _askPriceUnits = value; _fields |= TickFields.BestAsk; } }

    /// <summary>Best ask quantity.</summary>
    public long AskQuantity { get => _askQuantity; init { _askQuantity = value; _fields |= TickFields.BestAsk; } }

    /// <summary>Best bid price.</summary>
    public decimal? BidPrice => Price(TickFields.BestBid, _bidPriceUnits);

    /// <summary>Best ask price.</summary>
    public decimal? AskPrice => Price(TickFields.BestAsk, _askPriceUnits);

    /// <summary>True when <paramref name="fields"/> are all present.</summary>
    public bool Has(TickFields fields) => (Fields & fields) == fields;

    /// <summary>
    /// True when both ticks describe the same market state: same instrument, price, and the same
    /// quantity fields where both carry them. Sources and timestamps are not compared.
    /// </summary>
    public bool HasSameMarketDataAs(in Tick other)
    {
        if (_instrument != other._instrument || !SamePrice(LastPriceUnits, PriceScale, other.LastPriceUnits, other.PriceScale))
        {
            return false;
        }

        var both = Fields & other.Fields;
        return ((both & TickFields.Volume) == 0 || _volume == other._volume)
            && ((both & TickFields.LastQuantity) == 0 || _lastQuantity == other._lastQuantity);
    }

    /// <inheritdoc />
    public bool Equals(Tick other) =>
        _instrument == other._instrument && Source == other.Source && _fields == other._fields && _totals == other._totals
        && PriceScale == other.PriceScale && LastPriceUnits == other.LastPriceUnits
        && ReceiveTimeUtcTicks == other.ReceiveTimeUtcTicks && _exchangeTimeTicks == other._exchangeTimeTicks
        && _sequence == other._sequence && _lastQuantity == other._lastQuantity && _volume == other._volume
        && _averagePriceUnits == other._averagePriceUnits && _totalBuyQuantity == other._totalBuyQuantity
        && _totalSellQuantity == other._totalSellQuantity && _openUnits == other._openUnits
        && _highUnits == other._highUnits && _lowUnits == other._lowUnits && _closeUnits == other._closeUnits
        && _openInterest == other._openInterest && _bidPriceUnits == other._bidPriceUnits
        && _bidQuantity == other._bidQuantity && _askPriceUnits == other._askPriceUnits && _askQuantity == other._askQuantity;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Tick other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_instrument, Source, LastPriceUnits, _exchangeTimeTicks, _sequence, ReceiveTimeUtcTicks);

    /// <summary>Value equality.</summary>
    public static bool operator ==(Tick left, Tick right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Tick left, Tick right) => !left.Equals(right);

    /// <summary>For logs and test output: instrument, price, source and times.</summary>
    public override string ToString() =>
        $"{Instrument?.Name} {LastPrice} {Source} exch={ExchangeTime?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} seq={Sequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}";

    private static bool SamePrice(long a, byte scaleA, long b, byte scaleB)
    {
        if (scaleA == scaleB)
        {
            return a == b;
        }

        return Prices.ToDecimal(a, scaleA) == Prices.ToDecimal(b, scaleB);
    }

    private long? Get(TickFields field, long value) => Has(field) ? value : null;

    private decimal? Price(TickFields field, long units) => Has(field) ? Prices.ToDecimal(units, PriceScale) : null;

    private static TickFields Mark(TickFields fields, TickFields field, bool present) => present ? fields | field : fields & ~field;
}
