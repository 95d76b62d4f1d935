using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Emulator.Market;

/// <summary>
/// The emulated market: every instrument anyone asked about (stream or REST) keeps moving at
/// its configured rate for the emulator's lifetime, so polling during a stream fault still
/// sees fresh prices, and REST and stream agree because they read the same state.
/// </summary>
internal sealed class MarketSimulator : IAsyncDisposable
{
    private readonly ConcurrentDictionary<InstrumentKey, Instrument> _byKey = new();
    private readonly Lock _listGate = new();
    private readonly EmulatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _pumpInterval;
    private Instrument[] _all = [];
    private Task? _pump;

    public MarketSimulator(EmulatorOptions options, ILogger logger)
    {
        _options = options;
        _time = options.TimeProvider;
        _logger = logger;
        var fastest = options.TicksPerSecond;
        foreach (var rate in options.InstrumentTicksPerSecond.Values)
        {
            fastest = Math.Max(fastest, rate);
        }

        // Wake often enough for the fastest instrument, but no more than once a millisecond:
        // a fast instrument gets several updates per wake instead.
        var seconds = fastest > 0 ? 1.0 / fastest : 0.05;
        _pumpInterval = TimeSpan.FromSeconds(Math.Clamp(seconds, 0.001, 0.05));
    }

    public void Start() => _pump = Task.Run(() => PumpAsync(_stop.Token));

    /// <summary>Finds or creates an instrument. Tokens the emulated scrip master does not know return null.</summary>
    public Instrument? GetOrCreate(InstrumentKey key)
    {
        if (_byKey.TryGetValue(key, out var found))
        {
            return found;
        }

        if (!ExchangeTypes.IsMarket(key.ExchangeType) || !ExchangeTypes.IsKnownToken(key.Token))
        {
            return null;
        }

        lock (_listGate)
        {
            if (_byKey.TryGetValue(key, out found))
            {
                return found;
            }

            var rate = _options.InstrumentTicksPerSecond.TryGetValue(key.ToString(), out var r) ? r : _options.TicksPerSecond;
            var period = rate > 0 ? (long)(_time.TimestampFrequency / rate) : 0;
            var instrument = new Instrument(key, _options.Seed, _time.GetUtcNow().ToUnixTimeMilliseconds(), Math.Max(period, rate > 0 ? 1 : 0), _options.SentLogCapacity)
            {
                NextDue = _time.GetTimestamp() + period,
            };
            _byKey[key] = instrument;
            _all = [.. _all, instrument];
            return instrument;
        }
    }

    public Instrument? Find(InstrumentKey key) => _byKey.TryGetValue(key, out var found) ? found : null;

    public int InstrumentCount => Volatile.Read(ref _all).Length;

    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_pumpInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                AdvanceDue();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The pump must not die silently; log and stop the market.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.MarketPumpFailed(_logger, ex);
        }
    }

    /// <summary>Advances every instrument whose next update is due, catching up a bounded number of steps.</summary>
    internal void AdvanceDue()
    {
        var now = _time.GetTimestamp();
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var intervalTicks = (long)(_pumpInterval.TotalSeconds * _time.TimestampFrequency);
        foreach (var instrument in Volatile.Read(ref _all))
        {
            if (instrument.PeriodTicks <= 0)
            {
                continue;
            }

            // Catch up at most a few pump intervals: after a long pause (a debugger, a starved
            // thread pool) the market skips ahead instead of bursting thousands of stale ticks.
            var budget = 4 + (int)Math.Min(100_000, 4 * intervalTicks / instrument.PeriodTicks);
            while (instrument.NextDue <= now && budget-- > 0)
            {
                instrument.Advance(nowMs);
                instrument.NextDue += instrument.PeriodTicks;
            }

            if (instrument.NextDue <= now)
            {
                instrument.NextDue = now + instrument.PeriodTicks;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_pump is not null)
        {
            await _pump.ConfigureAwait(false);
        }

        _stop.Dispose();
    }
}
