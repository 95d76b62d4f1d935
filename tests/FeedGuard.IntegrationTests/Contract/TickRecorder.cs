using System.Diagnostics;
using FeedGuard.Buffers;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.Contract;

/// <summary>
/// A lossless (Wait-policy) subscriber that records every tick it is handed, when it arrived
/// (test clock), and every per-instrument rule a consumer relies on that the tick broke: exchange
/// time going backwards, a stream sequence not increasing, the same update twice.
/// </summary>
internal sealed class TickRecorder : IAsyncDisposable
{
    private readonly TickSubscription _subscription;
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly List<(Tick Tick, long At)> _ticks = [];
    private readonly List<string> _violations = [];
    private readonly Dictionary<Instrument, Tick> _last = [];
    private readonly Dictionary<Instrument, long> _lastStreamSequence = [];
    private readonly Dictionary<Instrument, DateTimeOffset> _lastExchangeTime = [];
    private readonly HashSet<(Instrument, long, decimal, long?, long?)> _seen = [];

    public TickRecorder(TickSubscription subscription)
    {
        _subscription = subscription;
        _loop = Task.Run(ReadAsync);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ticks.Count;
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>Ticks received at or after the test-clock timestamp <paramref name="since"/>.</summary>
    public IReadOnlyList<Tick> Since(long since, TickSource? source = null)
    {
        lock (_gate)
        {
            return [.. _ticks.Where(t => t.At >= since && (source is null || t.Tick.Source == source)).Select(t => t.Tick)];
        }
    }

    /// <summary>When the first tick of <paramref name="source"/> at or after <paramref name="since"/> arrived, if one did.</summary>
    public long? FirstAt(TickSource source, long since)
    {
        lock (_gate)
        {
            foreach (var (tick, at) in _ticks)
            {
                if (at >= since && tick.Source == source)
                {
                    return at;
                }
            }

            return null;
        }
    }

    public IReadOnlyList<Tick> All()
    {
        lock (_gate)
        {
            return [.. _ticks.Select(t => t.Tick)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _subscription.DisposeAsync();
        await _loop;
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var tick in _subscription)
            {
                Record(tick, Stopwatch.GetTimestamp());
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Record(in Tick tick, long at)
    {
        lock (_gate)
        {
            _ticks.Add((tick, at));
            var instrument = tick.Instrument;
            if (tick.ExchangeTime is { } time)
            {
                if (_lastExchangeTime.TryGetValue(instrument, out var previous) && time < previous)
                {
                    _violations.Add($"{instrument.Name}: exchange time went back from {previous:O} to {time:O} ({tick.Source})");
                }

                _lastExchangeTime[instrument] = time;
                // Kite stamps whole seconds and carries no sequence: the day's volume tells two updates apart.
                if (!_seen.Add((instrument, tick.ExchangeTimeUtcTicks, tick.LastPrice, tick.Sequence, tick.Volume)))
                {
                    _violations.Add($"{instrument.Name}: the same update twice: {tick}");
                }
            }

            if (tick.Source == TickSource.Stream && tick.Sequence is { } sequence)
            {
                if (_lastStreamSequence.TryGetValue(instrument, out var previous) && sequence <= previous)
                {
                    _violations.Add($"{instrument.Name}: stream sequence {sequence} after {previous}");
                }

                _lastStreamSequence[instrument] = sequence;
            }

            // Two updates may share a price and a millisecond; a different sequence tells them apart.
            if (_last.TryGetValue(instrument, out var last) && last.HasSameMarketDataAs(tick)
                && (!tick.Has(TickFields.ExchangeTime) || !last.Has(TickFields.ExchangeTime) || tick.ExchangeTimeUtcTicks == last.ExchangeTimeUtcTicks)
                && (tick.Sequence is null || last.Sequence is null || tick.Sequence == last.Sequence))
            {
                _violations.Add($"{instrument.Name}: a repeat of the previous update: {last} then {tick}");
            }

            _last[instrument] = tick;
        }
    }
}
