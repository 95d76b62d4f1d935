using BenchmarkDotNet.Attributes;
using FeedGuard.Reconnect;

namespace FeedGuard.Benchmarks;

/// <summary>Backoff computation. Baseline: the bare exponential expression with Math.Pow.</summary>
[MemoryDiagnoser]
public class BackoffBenchmarks
{
    private readonly ReconnectOptions _options = new();
    private readonly double _baseMs = 1000;
    private readonly double _multiplier = 2;

    [Params(1, 3)]
    public int Attempt { get; set; }

    [Benchmark(Baseline = true)]
    public double BarePow() => _baseMs * Math.Pow(_multiplier, Attempt - 1);

    [Benchmark]
    public TimeSpan BackoffDelay() => ReconnectPolicy.BackoffDelay(_options, Attempt, 0.37);
}
