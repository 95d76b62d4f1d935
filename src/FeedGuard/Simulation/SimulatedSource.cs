using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Simulation;

/// <summary>
/// Synthetic ticks: a random walk of one 0.05 step up or down per tick, starting from each instrument's last known
/// real price. Deterministic under a seed. Never market data: every tick says
/// <see cref="TickSource.Simulated"/> and carries no exchange time, so it can never move an
/// instrument's clock ahead of the real feed that comes back.
/// </summary>
public sealed class SimulatedSource
{
    /// <summary>The price grid: 0.05 (five paise).</summary>
    public const decimal GridStep = 0.05m;

    private readonly Random _random;
    private readonly long[] _units;
    private readonly byte[] _scale;
    private readonly bool[] _started;

    /// <summary>Creates a walk over <paramref name="instruments"/> with a fixed <paramref name="seed"/>.</summary>
    public SimulatedSource(InstrumentRegistry instruments, int seed)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        Instruments = instruments;
        _random = new Random(seed);
        _units = new long[instruments.Count];
        _scale = new byte[instruments.Count];
        _started = new bool[instruments.Count];
    }

    /// <summary>The instruments walked.</summary>
    public InstrumentRegistry Instruments { get; }

    /// <summary>
    /// One step for every instrument that has a known price. An instrument's walk starts from
    /// <paramref name="lastKnown"/> (snapped to the grid) the first time, or again after
    /// <see cref="Reset"/>; instruments with no known price are skipped, never invented.
    /// </summary>
    /// <param name="lastKnown">The last real tick per instrument, or null when none is known.</param>
    /// <param name="now">The receive time to stamp.</param>
    /// <param name="output">Where to write; needs one slot per instrument.</param>
    /// <returns>How many ticks were written.</returns>
    public int Step(Func<Instrument, Tick?> lastKnown, DateTimeOffset now, Span<Tick> output)
    {
        ArgumentNullException.ThrowIfNull(lastKnown);
        var written = 0;
        foreach (var instrument in Instruments.All)
        {
            var id = instrument.Id;
            if (!_started[id])
            {
                if (lastKnown(instrument) is not { } last)
                {
                    continue;
                }

                _scale[id] = Math.Max(last.PriceScale, (byte)2);
                var step = StepUnits(_scale[id]);
                var units = last.LastPriceUnits * Prices.Pow10(_scale[id] - last.PriceScale);
                _units[id] = Math.Max(step, (long)Math.Round((decimal)units / step, MidpointRounding.AwayFromZero) * step);
                _started[id] = true;
            }

            var grid = StepUnits(_scale[id]);
            _units[id] = Math.Max(grid, _units[id] + (grid * ((_random.Next(2) * 2) - 1)));
            output[written++] = new Tick(instrument, TickSource.Simulated, _units[id], _scale[id], now);
        }

        return written;
    }

    /// <summary>Forgets the walk, so the next step starts again from the last real prices.</summary>
    public void Reset() => Array.Clear(_started);

    private static long StepUnits(byte scale) => 5 * Prices.Pow10(scale - 2);
}
