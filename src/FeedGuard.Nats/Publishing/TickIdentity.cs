using System.Globalization;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Nats.Publishing;

/// <summary>
/// The <c>Nats-Msg-Id</c> of a tick: its identity as the broker gave it, so that JetStream's
/// duplicate window drops the same broker tick published twice (a retry, a failover overlap, a
/// second gateway) and never drops a different one. docs/nats.md ("Message id") explains each form.
/// </summary>
/// <remarks>
/// One instance per publisher: it remembers, per instrument, which market data it saw in the current
/// second (for ticks without an exchange time) and a counter (for simulated ticks). Not thread-safe;
/// the publisher's single loop owns it.
/// </remarks>
internal sealed class TickIdentity
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    private readonly string _publisherInstance;
    private readonly Dictionary<Instrument, State> _states = new(ReferenceEqualityComparer.Instance);

    /// <param name="publisherInstance">Unique per publisher run (simulated ticks are this run's own inventions).</param>
    public TickIdentity(string publisherInstance) => _publisherInstance = publisherInstance;

    /// <summary>The id for <paramref name="tick"/>; call once per tick, in delivery order.</summary>
    public string Next(in Tick tick)
    {
        var state = StateOf(tick.Instrument);
        var content = ContentHash(tick);
        var instrument = tick.Instrument;
        var exchange = instrument.Exchange.ToName();

        if (tick.Source == TickSource.Simulated)
        {
            // Never the same as anything another gateway (or this one's next run) simulates: each walk is its own.
            return string.Create(CultureInfo.InvariantCulture, $"{exchange}.{instrument.Token}.sim.{_publisherInstance}.{++state.Simulated}");
        }

        if (tick.Has(TickFields.ExchangeTime))
        {
            // Exchange stamps are as coarse as a second (Kite full mode): the market data tells apart two
            // trades in one stamp, and is what both gateways decoded from the same packet.
            var sequence = tick.Sequence is { } s ? s.ToString(CultureInfo.InvariantCulture) : "-";
            return string.Create(CultureInfo.InvariantCulture, $"{exchange}.{instrument.Token}.x{tick.ExchangeTimeUtcTicks}.{sequence}.{content:x16}");
        }

        // No broker identity at all (Kite LTP/quote packets, LTP polls): the second the tick arrived in,
        // its market data, and how often that data already came in this second. A price that comes back
        // (100, 101, 100) is then a new tick, and two gateways that saw the same ticks agree.
        var second = tick.ReceiveTimeUtcTicks / TimeSpan.TicksPerSecond;
        if (second != state.Second)
        {
            state.Second = second;
            state.SeenThisSecond.Clear();
        }

        var occurrence = state.SeenThisSecond.GetValueOrDefault(content);
        state.SeenThisSecond[content] = occurrence + 1;
        return string.Create(CultureInfo.InvariantCulture, $"{exchange}.{instrument.Token}.r{second}.{content:x16}.{occurrence}");
    }

    /// <summary>
    /// A stable 64-bit FNV-1a hash of what the market said: prices (normalised to one scale so the
    /// same price written at two scales agrees), quantities, and whether the data is real. Not the
    /// receive time and not the tier, which differ between gateways for the same update.
    /// </summary>
    internal static ulong ContentHash(in Tick tick)
    {
        var hash = FnvOffset;
        var scale = tick.PriceScale;
        Mix(ref hash, Normalise(tick.LastPriceUnits, scale));
        Mix(ref hash, (long)tick.Fields);
        Mix(ref hash, tick.Source == TickSource.Simulated ? 1 : 0);
        Mix(ref hash, tick.LastQuantity ?? -1);
        Mix(ref hash, tick.Volume ?? -1);
        Mix(ref hash, tick.Has(TickFields.AveragePrice) ? Normalise(tick.AveragePriceUnits, scale) : -1);
        Mix(ref hash, tick.TotalBuyQuantity ?? -1);
        Mix(ref hash, tick.TotalSellQuantity ?? -1);
        if (tick.Has(TickFields.Ohlc))
        {
            Mix(ref hash, Normalise(tick.OpenUnits, scale));
            Mix(ref hash, Normalise(tick.HighUnits, scale));
            Mix(ref hash, Normalise(tick.LowUnits, scale));
            Mix(ref hash, Normalise(tick.CloseUnits, scale));
        }

        Mix(ref hash, tick.OpenInterest ?? -1);
        if (tick.Has(TickFields.BestBid))
        {
            Mix(ref hash, Normalise(tick.BidPriceUnits, scale));
            Mix(ref hash, tick.BidQuantity);
        }

        if (tick.Has(TickFields.BestAsk))
        {
            Mix(ref hash, Normalise(tick.AskPriceUnits, scale));
            Mix(ref hash, tick.AskQuantity);
        }

        return hash;
    }

    // Every price at the largest scale: 100.5 at scale 1 and 100.50 at scale 2 are one price.
    private static long Normalise(long units, byte scale) => unchecked(units * Prices.Pow10(Prices.MaxScale - scale));

    private static void Mix(ref ulong hash, long value)
    {
        var v = unchecked((ulong)value);
        for (var i = 0; i < 8; i++)
        {
            hash = unchecked((hash ^ (byte)(v >> (i * 8))) * FnvPrime);
        }
    }

    private State StateOf(Instrument instrument)
    {
        if (!_states.TryGetValue(instrument, out var state))
        {
            state = new State();
            _states[instrument] = state;
        }

        return state;
    }

    private sealed class State
    {
        public readonly Dictionary<ulong, int> SeenThisSecond = [];
        public long Second = -1;
        public long Simulated;
    }
}
