using System.Diagnostics;
using FeedGuard.Ticks;

namespace FeedGuard.LoopbackBench;

/// <summary>
/// What every client does with a tick: count it, note its latency from the blaster's send stamp
/// into a preallocated array, and notice the end of the run. Process-wide allocation, GC and CPU
/// counters are read at the first tick and at the last, so set-up and tear-down are not measured.
/// </summary>
internal sealed class Recorder
{
    private const int MaxSamples = 2_000_000;

    /// <summary>Resident set is sampled once this many ticks were consumed, and again at the end.</summary>
    public const long RssCheckpoint = 1_000_000;

    private readonly long[] _latencies;
    private readonly long _stride;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _samples;
    private long _seen;
    private long _firstAt;
    private long _lastAt;
    private long _allocatedAtStart;
    private long _allocatedAtEnd;
    private readonly int[] _gcAtStart = new int[3];
    private readonly int[] _gcAtEnd = new int[3];
    private TimeSpan _cpuAtStart;
    private TimeSpan _cpuAtEnd;
    private (long Steal, long Total)? _stealAtStart;
    private (long Steal, long Total)? _stealAtEnd;
    private long _rssAtCheckpoint;
    private long _rssAtEnd;

    public Recorder(long expectedTicks)
    {
        _stride = Math.Max(1, expectedTicks / MaxSamples);
        _latencies = new long[Math.Min(expectedTicks, MaxSamples) + 1];

        // A large new array is fresh pages the OS maps in only when first written: left alone, the soak's
        // resident set would grow by this array (16 MB at 2 M samples) as samples fill it, and that growth
        // would be charged to the client. Write every page now, before the first resident-set reading.
        _latencies.AsSpan().Fill(-1);
    }

    public Task Done => _done.Task;

    /// <summary>Called at the first tick and at the end marker (the allocation profile's window).</summary>
    public Action? Started { get; init; }

    /// <inheritdoc cref="Started"/>
    public Action? Finished { get; init; }

    public long Seen => Volatile.Read(ref _seen);

    public void OnTick(in Tick tick)
    {
        var now = Stopwatch.GetTimestamp();
        if (_seen == 0)
        {
            Started?.Invoke();
            Snapshot(_gcAtStart, out _allocatedAtStart, out _cpuAtStart);
            _stealAtStart = HostSteal.Read();
            _firstAt = now;
        }

        if (_seen % _stride == 0 && _samples < _latencies.Length)
        {
            _latencies[_samples++] = now - tick.Sequence.GetValueOrDefault(now);
        }

        Volatile.Write(ref _seen, _seen + 1);
        if (_seen == RssCheckpoint)
        {
            _rssAtCheckpoint = Environment.WorkingSet;
        }

        if (tick.LastPriceUnits == Wire.EndMarker)
        {
            _lastAt = now;
            _rssAtEnd = Environment.WorkingSet;
            Snapshot(_gcAtEnd, out _allocatedAtEnd, out _cpuAtEnd);
            _stealAtEnd = HostSteal.Read();
            Finished?.Invoke();
            _done.TrySetResult();
        }
    }

    public RunResult Result(string client, Scenario scenario, string note)
    {
        var completed = _done.Task.IsCompleted;
        var seconds = completed ? Stopwatch.GetElapsedTime(_firstAt, _lastAt).TotalSeconds : double.NaN;
        var sorted = _latencies.AsSpan(0, _samples).ToArray();
        Array.Sort(sorted);
        double Percentile(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1_000_000.0 / Stopwatch.Frequency;
        return new RunResult
        {
            Scenario = scenario.Name,
            Client = client,
            Ticks = scenario.Ticks,
            Batch = scenario.Batch,
            Rate = scenario.Rate,
            Completed = completed,
            Seconds = seconds,
            TicksPerSecond = completed ? scenario.Ticks / seconds : double.NaN,
            Consumed = Seen,
            AllocatedBytesPerTick = completed ? (double)(_allocatedAtEnd - _allocatedAtStart) / scenario.Ticks : double.NaN,
            CpuMicrosecondsPerTick = completed ? (_cpuAtEnd - _cpuAtStart).TotalMicroseconds / scenario.Ticks : double.NaN,
            StealPercent = completed ? HostSteal.Percent(_stealAtStart, _stealAtEnd) : null,
            Gen0 = _gcAtEnd[0] - _gcAtStart[0],
            Gen1 = _gcAtEnd[1] - _gcAtStart[1],
            Gen2 = _gcAtEnd[2] - _gcAtStart[2],
            P50Us = Percentile(0.50),
            P90Us = Percentile(0.90),
            P99Us = Percentile(0.99),
            P999Us = Percentile(0.999),
            RssAtCheckpointMiB = _rssAtCheckpoint == 0 ? null : _rssAtCheckpoint / 1048576.0,
            RssAtEndMiB = _rssAtEnd == 0 ? null : _rssAtEnd / 1048576.0,
            Note = note,
        };
    }

    private static void Snapshot(int[] gc, out long allocated, out TimeSpan cpu)
    {
        allocated = GC.GetTotalAllocatedBytes(precise: true);
        for (var g = 0; g < 3; g++)
        {
            gc[g] = GC.CollectionCount(g);
        }

        cpu = Process.GetCurrentProcess().TotalProcessorTime;
    }
}

/// <summary>One client's numbers for one scenario.</summary>
internal sealed record RunResult
{
    public required string Scenario { get; init; }
    public required string Client { get; init; }
    public long Ticks { get; init; }
    public int Batch { get; init; }
    public int Rate { get; init; }
    public bool Completed { get; init; }
    public double Seconds { get; init; }
    public double TicksPerSecond { get; init; }
    public long Consumed { get; init; }
    public double AllocatedBytesPerTick { get; init; }
    public double CpuMicrosecondsPerTick { get; init; }

    /// <summary>Share of the machine's CPU time the hypervisor stole during the run (see <see cref="HostSteal"/>).</summary>
    public double? StealPercent { get; init; }
    public int Gen0 { get; init; }
    public int Gen1 { get; init; }
    public int Gen2 { get; init; }
    public double P50Us { get; init; }
    public double P90Us { get; init; }
    public double P99Us { get; init; }
    public double P999Us { get; init; }
    public double? ThroughputVsFloor { get; init; }
    public double? ThroughputVsWebsocketClient { get; init; }
    public double? P50VsFloor { get; init; }
    public double? P99VsFloor { get; init; }

    /// <summary>Resident set after <see cref="Recorder.RssCheckpoint"/> consumed ticks; null for shorter runs.</summary>
    public double? RssAtCheckpointMiB { get; init; }

    /// <summary>Resident set at the end marker.</summary>
    public double? RssAtEndMiB { get; init; }

    /// <summary>RSS at the end ÷ RSS at the checkpoint − 1 (the target: within ±10 %).</summary>
    public double? RssGrowth => RssAtCheckpointMiB is { } at && RssAtEndMiB is { } end ? (end / at) - 1 : null;
    public string Note { get; init; } = "";
}
