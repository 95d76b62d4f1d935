using System.Globalization;

namespace FeedGuard.LoopbackBench;

/// <summary>
/// The end-to-end targets, checked against one run's own rows, so a reader sees at a glance
/// which hold on this machine today. A verdict, not an assertion: the exit code does not depend on it.
/// </summary>
internal static class Targets
{
    internal sealed record Verdict(string Target, string Measured, bool? Met);

    public static List<Verdict> Check(List<RunResult> results, List<RunResult> soak)
    {
        var verdicts = new List<Verdict>();
        var feedGuard = results.Where(r => r.Client.StartsWith("c:", StringComparison.Ordinal)).ToList();
        foreach (var batch in new[] { 1, 64 })
        {
            var rows = feedGuard.Where(r => r.Rate == 0 && r.Batch == batch).ToList();
            verdicts.Add(Worst($"(c) ≥ 0.90 × (a), blast {batch} tick(s)/msg", rows, r => r.ThroughputVsFloor, v => v >= 0.90));
            verdicts.Add(Worst($"(c) ≥ 1.3 × (b), blast {batch} tick(s)/msg", rows, r => r.ThroughputVsWebsocketClient, v => v >= 1.3));
        }

        // Steady state: a run of a million ticks or more, so one-time set-up (the buffers' arrays) is amortised away.
        var steady = feedGuard.Concat(soak).Where(r => r.Ticks >= 1_000_000).ToList();
        verdicts.Add(Worst("(c) 0 B/tick in steady state (runs of ≥ 1 M ticks; < 0.05 B/tick counts as 0)", steady, r => r.AllocatedBytesPerTick, v => v < 0.05, highIsWorse: true));
        var longRuns = results.Concat(soak).Where(r => r.Ticks >= 10_000_000).ToList();
        verdicts.Add(Worst("no Gen2 GC in a run of ≥ 10 M ticks", longRuns, r => r.Gen2, v => v == 0, highIsWorse: true));
        var paced = feedGuard.Where(r => r.Rate == 100_000).ToList();
        var stolen = results.Where(r => r.Rate == 100_000).Select(r => r.StealPercent ?? 0).DefaultIfEmpty(0).Max();
        verdicts.Add(UnlessStolen(stolen, Worst("(c) p50 ≤ 2 × (a) p50 at 100k ticks/s", paced, r => r.P50VsFloor, v => v <= 2, highIsWorse: true)));
        verdicts.Add(UnlessStolen(stolen, Worst("(c) p99 ≤ 2 × (a) p99 at 100k ticks/s", paced, r => r.P99VsFloor, v => v <= 2, highIsWorse: true)));
        var rss = soak.Where(r => r.RssGrowth is not null).ToList();
        verdicts.Add(Worst($"RSS flat (±10 %) from {Recorder.RssCheckpoint:N0} ticks to the end of the soak", rss, r => r.RssGrowth is { } g ? Math.Abs(g) : null, v => v <= 0.10, highIsWorse: true));
        return verdicts;
    }

    // A ratio of two latency tails measured while the host stole CPU time compares two samples of its
    // scheduling, not the clients: report it, judge nothing.
    private static Verdict UnlessStolen(double stealPercent, Verdict verdict) =>
        stealPercent <= HostSteal.NoisyPercent || verdict.Met is null
            ? verdict
            : verdict with { Measured = string.Create(CultureInfo.InvariantCulture, $"not judged: host steal up to {stealPercent:0.#} % in these cells; {verdict.Measured}"), Met = null };

    private static Verdict Worst(string target, List<RunResult> rows, Func<RunResult, double?> value, Func<double, bool> holds, bool highIsWorse = false)
    {
        var measured = rows.Select(r => (Row: r, Value: value(r))).Where(x => x.Value is { } v && !double.IsNaN(v)).ToList();
        if (measured.Count == 0)
        {
            return new Verdict(target, "not measured in this run", null);
        }

        var worst = highIsWorse ? measured.MaxBy(x => x.Value!.Value) : measured.MinBy(x => x.Value!.Value);
        var all = string.Join(", ", measured.Select(x => string.Create(CultureInfo.InvariantCulture, $"{Short(x.Row)} {x.Value:0.###}")));
        return new Verdict(target, all, holds(worst.Value!.Value));
    }

    private static string Short(RunResult r) =>
        (r.Client.Contains("latest", StringComparison.Ordinal) ? "latest" : r.Client.Contains("wait", StringComparison.Ordinal) ? "wait" : r.Client.Contains("inline", StringComparison.Ordinal) ? "inline" : r.Client[..1])
        + (r.Scenario.StartsWith("soak", StringComparison.Ordinal) ? " (soak)" : "");
}
