using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using FeedGuard.Buffers;

namespace FeedGuard.LoopbackBench;

/// <summary>
/// End-to-end loopback benchmark: a blaster process sends SmartAPI LTP packets over a real
/// WebSocket on 127.0.0.1 and this process receives them with (a) a plain ClientWebSocket loop,
/// (b) Websocket.Client 5.5.1 and (c) FeedGuard, then times failover on the emulator.
/// <c>--help</c> lists the options (<see cref="LoopbackCommand"/>).
/// </summary>
public static class Program
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static async Task<int> Main(string[] args)
    {
        // The child process this benchmark starts for itself (BlasterProcess), never a user's flag.
        if (args is [Blaster.Flag])
        {
            return await Blaster.RunAsync().ConfigureAwait(false);
        }

        return await LoopbackCommand.InvokeAsync(args, RunAsync).ConfigureAwait(false);
    }

    /// <summary>The whole benchmark: every selected client in every selected scenario, then the soak and failover.</summary>
    internal static async Task<int> RunAsync(LoopbackRun run)
    {
        var (shortMode, outDir, repeat, scenarios, clients) = (run.Short, run.OutDir, run.Repeat, run.Scenarios, run.Clients);
        Directory.CreateDirectory(outDir);

        var machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, .NET {Environment.Version}, load average at start {LoadAverage()}";
        Console.WriteLine($"# FeedGuard loopback benchmark ({(shortMode ? "short" : "full")}, {repeat} run(s) per cell)");
        Console.WriteLine(machine);
        using var blaster = await BlasterProcess.StartAsync().ConfigureAwait(false);

        // Warm-up: JIT and tiering for every client, and the blaster's own, before anything is measured. As long in
        // short mode as in full: with less, short runs measured partly tier-0 code, FeedGuard's longer path most of all.
        foreach (var client in clients)
        {
            foreach (var batch in new[] { 1, 64 })
            {
                var warm = new Scenario("warm-up", 200_000, batch, 0, 64);
                await RunOneAsync(blaster.Url(warm), client, warm).ConfigureAwait(false);
            }
        }

        if (run.ProfileAllocations)
        {
            await ProfileAllocationsAsync(blaster, shortMode).ConfigureAwait(false);
            return 0;
        }

        var results = new List<RunResult>();
        foreach (var scenario in scenarios)
        {
            var cell = new List<RunResult>();
            foreach (var client in clients)
            {
                var runs = new List<RunResult>();
                for (var r = 0; r < repeat; r++)
                {
                    runs.Add(await RunOneAsync(blaster.Url(scenario), client, scenario).ConfigureAwait(false));
                }

                var ordered = runs.OrderBy(x => double.IsNaN(x.TicksPerSecond) ? double.MinValue : scenario.Rate > 0 ? -x.P50Us : x.TicksPerSecond).ToList();
                var median = ordered[ordered.Count / 2];
                Console.WriteLine(FormattableString.Invariant($"  {scenario.Name,-26} {client.Name,-36} {median.TicksPerSecond,12:N0} ticks/s  {median.AllocatedBytesPerTick,7:N1} B/tick  p50 {median.P50Us,9:N1} us  p99 {median.P99Us,9:N1} us  {median.Note}"));
                cell.Add(median);
            }

            results.AddRange(WithRatios(cell));
        }

        // Memory: one long lossless and conflating run each, resident set at 1 M ticks against the end (50 M in full mode).
        var soakScenario = new Scenario("soak, 64 ticks/msg", shortMode ? 3_000_000 : 50_000_000, 64, 0, 64);
        var soak = new List<RunResult>();
        if (run.Soak)
        {
            foreach (var client in clients.OfType<FeedGuardClient>())
            {
                var r = await RunOneAsync(blaster.Url(soakScenario), client, soakScenario).ConfigureAwait(false);
                Console.WriteLine(FormattableString.Invariant($"  {soakScenario.Name,-26} {client.Name,-36} {r.TicksPerSecond,12:N0} ticks/s  {r.AllocatedBytesPerTick,7:N1} B/tick  GC {r.Gen0}/{r.Gen1}/{r.Gen2}  RSS {OrNa(r.RssAtCheckpointMiB, "N1")} → {r.RssAtEndMiB:N1} MiB  {r.Note}"));
                soak.Add(r);
            }
        }

        var targets = Targets.Check(results, soak);
        var failovers = new List<Failover.FailoverResult>();
        if (run.Failover)
        {
            foreach (var profile in Failover.Profiles(includeDefault: !shortMode))
            {
                var f = await Failover.RunAsync(profile).ConfigureAwait(false);
                Console.WriteLine(FormattableString.Invariant($"  failover {f.Profile}: stall→detected {f.StallToDetectedSeconds:N2} s, stall→first polled tick {f.StallToFirstPolledTickSeconds:N2} s, restore→streaming {f.RestoreToStreamingSeconds:N2} s {f.Note}"));
                failovers.Add(f);
            }
        }

        var report = new
        {
            Mode = shortMode ? "short" : "full",
            Machine = machine,
            LoadAverageAtEnd = LoadAverage(),
            Repeat = repeat,
            Results = results,
            Soak = soak,
            Targets = targets,
            Failover = failovers,
        };
        var markdown = Markdown(report.Mode, machine, report.LoadAverageAtEnd, repeat, results, soak, targets, failovers);
        await File.WriteAllTextAsync(Path.Combine(outDir, "loopback-report.md"), markdown).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(outDir, "loopback-report.json"), JsonSerializer.Serialize(report, Json)).ConfigureAwait(false);
        Console.WriteLine();
        Console.WriteLine(markdown);
        Console.WriteLine($"Written to {Path.GetFullPath(outDir)}");
        // Non-zero when a cell did not finish, so a CI smoke fails on a broken client rather than printing a short table.
        var unfinished = results.Concat(soak).Where(r => !r.Completed).Select(r => $"{r.Scenario} / {r.Client}: {r.Note}")
            .Concat(failovers.Where(f => !f.Completed).Select(f => $"failover {f.Profile}: {f.Note}")).ToList();
        foreach (var cell in unfinished)
        {
            await Console.Error.WriteLineAsync($"loopback: did not finish: {cell}").ConfigureAwait(false);
        }

        return unfinished.Count == 0 ? 0 : 1;
    }

    // Where FeedGuard's bytes per tick go, by allocated type, for the scenarios where it allocates.
    private static async Task ProfileAllocationsAsync(BlasterProcess blaster, bool shortMode)
    {
        using var profile = new AllocationProfile();
        var scale = shortMode ? 1 : 5;
        Scenario[] scenarios = [new("paced 10k/s, 1 tick/msg", 20_000 * scale, 1, 10_000, 64), new("paced 100k/s, 1 tick/msg", 200_000 * scale, 1, 100_000, 64), new("blast, 1 tick/msg", 200_000 * scale, 1, 0, 64), new("blast, 64 ticks/msg", 2_000_000 * scale, 64, 0, 64)];
        IClient[] clients = [new FeedGuardClient(BufferPolicy.LatestPerInstrument), new FeedGuardClient(BufferPolicy.Wait), new FeedGuardClient(BufferPolicy.Wait, passToken: false)];
        foreach (var scenario in scenarios)
        {
            foreach (var client in clients)
            {
                var result = await RunOneAsync(blaster.Url(scenario), client, scenario, profile).ConfigureAwait(false);
                var top = profile.Top(8);
                Console.WriteLine(FormattableString.Invariant($"{scenario.Name} / {client.Name}: {result.AllocatedBytesPerTick:N1} B/tick"));
                foreach (var (type, bytes, share) in top)
                {
                    Console.WriteLine(FormattableString.Invariant($"    {share,6:P1}  {bytes,14:N0} B sampled  {type}"));
                }
            }
        }
    }

    private static async Task<RunResult> RunOneAsync(Uri url, IClient client, Scenario scenario, AllocationProfile? profile = null)
    {
        // Start every run from a clean heap so one client's garbage is not collected on another's time.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var recorder = new Recorder(scenario.Ticks) { Started = profile is null ? null : profile.Start, Finished = profile is null ? null : profile.Stop };
        var expected = scenario.Rate > 0 ? TimeSpan.FromSeconds((double)scenario.Ticks / scenario.Rate) : TimeSpan.Zero;
        var timeout = TimeSpan.FromSeconds(60) + (3 * expected);
        string note;
        try
        {
            note = await client.RunAsync(url, scenario, recorder, timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            note = $"failed: {ex.GetType().Name}: {ex.Message}";
        }

        return recorder.Result(client.Name, scenario, note);
    }

    // Ratios against (a) and (b) of the same scenario: throughput c/a and c/b, latency c/a.
    private static IEnumerable<RunResult> WithRatios(List<RunResult> cell)
    {
        var floor = cell.FirstOrDefault(r => r.Client.StartsWith("a:", StringComparison.Ordinal));
        var peer = cell.FirstOrDefault(r => r.Client.StartsWith("b:", StringComparison.Ordinal));
        foreach (var r in cell)
        {
            yield return r with
            {
                ThroughputVsFloor = floor is null ? null : r.TicksPerSecond / floor.TicksPerSecond,
                ThroughputVsWebsocketClient = peer is null ? null : r.TicksPerSecond / peer.TicksPerSecond,
                P50VsFloor = floor is null ? null : r.P50Us / floor.P50Us,
                P99VsFloor = floor is null ? null : r.P99Us / floor.P99Us,
            };
        }
    }

    private static string Markdown(string mode, string machine, string loadAtEnd, int repeat, List<RunResult> results, List<RunResult> soak, List<Targets.Verdict> targets, List<Failover.FailoverResult> failovers)
    {
        var sb = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        sb.AppendLine(ci, $"## Loopback benchmark ({mode}; median of {repeat} run(s) per cell)");
        sb.AppendLine();
        sb.AppendLine(ci, $"{machine}; load average at end {loadAtEnd}.");
        sb.AppendLine();
        sb.AppendLine("Ratios: throughput of the row ÷ (a) and ÷ (b) of the same scenario; latency p50/p99 of the row ÷ (a). Latency is send stamp (blaster) → consumer, in µs.");
        sb.AppendLine();
        sb.AppendLine(ci, $"Steal: CPU time the hypervisor gave to other guests during the run; above {HostSteal.NoisyPercent} % a cell's latency tail is the host's, not the client's.");
        sb.AppendLine();
        sb.AppendLine("| Scenario | Client | ticks/s | ÷a | ÷b | B/tick | CPU µs/tick | steal % | GC 0/1/2 | p50 µs | p90 µs | p99 µs | p99.9 µs | p50 ÷a | p99 ÷a | consumed | note |");
        sb.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var r in results)
        {
            sb.AppendLine(ci, $"| {r.Scenario} | {r.Client} | {r.TicksPerSecond:N0} | {r.ThroughputVsFloor:N2} | {r.ThroughputVsWebsocketClient:N2} | {r.AllocatedBytesPerTick:N1} | {r.CpuMicrosecondsPerTick:N2} | {r.StealPercent:N1} | {r.Gen0}/{r.Gen1}/{r.Gen2} | {r.P50Us:N1} | {r.P90Us:N1} | {r.P99Us:N1} | {r.P999Us:N1} | {r.P50VsFloor:N2} | {r.P99VsFloor:N2} | {r.Consumed:N0} | {r.Note} |");
        }

        if (soak.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine(ci, $"### Memory soak (FeedGuard, resident set after {Recorder.RssCheckpoint:N0} consumed ticks and at the end)");
            sb.AppendLine();
            sb.AppendLine("| Scenario | Client | ticks | ticks/s | B/tick | GC 0/1/2 | RSS at checkpoint MiB | RSS at end MiB | growth | note |");
            sb.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|---|");
            foreach (var r in soak)
            {
                sb.AppendLine(ci, $"| {r.Scenario} | {r.Client} | {r.Ticks:N0} | {r.TicksPerSecond:N0} | {r.AllocatedBytesPerTick:N2} | {r.Gen0}/{r.Gen1}/{r.Gen2} | {OrNa(r.RssAtCheckpointMiB, "N1")} | {r.RssAtEndMiB:N1} | {OrNa(r.RssGrowth, "P1")} | {r.Note} |");
            }
        }

        sb.AppendLine();
        sb.AppendLine("### Against the issue's targets (this run)");
        sb.AppendLine();
        sb.AppendLine("| Target | Measured | Met |");
        sb.AppendLine("|---|---|---|");
        foreach (var t in targets)
        {
            sb.AppendLine(ci, $"| {t.Target} | {t.Measured} | {(t.Met is null ? "n/a" : t.Met.Value ? "yes" : "no")} |");
        }

        if (failovers.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("### Failover (emulator stall fault: socket open, nothing sent, no pong)");
            sb.AppendLine();
            sb.AppendLine("| Profile | stall → detected (s) | stall → first polled tick (s) | restore → streaming (s) | settings | note |");
            sb.AppendLine("|---|--:|--:|--:|---|---|");
            foreach (var f in failovers)
            {
                sb.AppendLine(ci, $"| {f.Profile} | {f.StallToDetectedSeconds:N2} | {f.StallToFirstPolledTickSeconds:N2} | {f.RestoreToStreamingSeconds:N2} | {f.Settings} | {f.Note} |");
            }
        }

        return sb.ToString();
    }

    // A conflating reader in a short soak may consume fewer ticks than the checkpoint: say so rather than print nothing.
    private static string OrNa(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "n/a";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}

/// <summary>The blaster as a child process; disposing closes its stdin, which stops it.</summary>
internal sealed class BlasterProcess : IDisposable
{
    private readonly Process _process;
    private readonly Uri _baseUrl;

    private BlasterProcess(Process process, Uri baseUrl)
    {
        _process = process;
        _baseUrl = baseUrl;
    }

    public static async Task<BlasterProcess> StartAsync()
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
        }

        start.ArgumentList.Add(Blaster.Flag);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the blaster.");
        while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                var http = new Uri(line["LISTENING ".Length..]);
                return new BlasterProcess(process, new UriBuilder(http) { Scheme = "ws", Path = "/smart-stream" }.Uri);
            }
        }

        throw new InvalidOperationException("The blaster exited before it listened.");
    }

    public Uri Url(Scenario scenario) => new(_baseUrl + scenario.Query.TrimStart('/'));

    public void Dispose()
    {
        _process.StandardInput.Close();
        if (!_process.WaitForExit(10_000))
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
