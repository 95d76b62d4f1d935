using System.CommandLine;
using FeedGuard.Buffers;

namespace FeedGuard.LoopbackBench;

/// <summary>What one invocation of the benchmark runs, from its command line.</summary>
internal sealed record LoopbackRun(
    bool Short,
    string OutDir,
    int Repeat,
    bool Soak,
    bool Failover,
    bool ProfileAllocations,
    IReadOnlyList<Scenario> Scenarios,
    IReadOnlyList<IClient> Clients);

/// <summary>
/// The benchmark's command line. A typo must not cost a seven-minute full run measuring the wrong
/// thing: an unknown flag, a bad number or a filter that selects nothing exits with code 2 and one
/// line naming it, and <c>--help</c> lists the options.
/// </summary>
internal static class LoopbackCommand
{
    private const int Usage = 2;

    public static async Task<int> InvokeAsync(string[] args, Func<LoopbackRun, Task<int>> run)
    {
        var shortMode = new Option<bool>("--short") { Description = "CI smoke: fewer ticks per cell, one run each, the aggressive failover profile only (well under a minute once built)." };
        var outDir = new Option<string>("--out") { Description = "Where loopback-report.md and loopback-report.json go.", DefaultValueFactory = _ => Path.Combine("BenchmarkDotNet.Artifacts", "loopback") };
        var repeat = new Option<int>("--repeat") { Description = "Runs per client and scenario; the median is reported (default 3, 1 with --short)." };
        var noSoak = new Option<bool>("--no-soak") { Description = "Skip the memory soak (resident set at 1 M ticks against the end of a long run)." };
        var noFailover = new Option<bool>("--no-failover") { Description = "Skip the failover timings on the emulator." };
        var profileAlloc = new Option<bool>("--profile-alloc") { Description = "Instead of the benchmark, a sampled allocation profile of FeedGuard by type." };
        var scenarioFilter = new Option<string[]>("--scenario") { Description = "Only scenarios whose name contains TEXT (repeatable; any match passes).", HelpName = "TEXT" };
        var clientFilter = new Option<string[]>("--client") { Description = "Only clients whose name contains TEXT (repeatable; ratios need the floor, so keep \"a:\" among them).", HelpName = "TEXT" };

        var root = new RootCommand("FeedGuard loopback benchmark: a blaster process sends SmartAPI LTP packets over a real WebSocket on 127.0.0.1; (a) a plain ClientWebSocket loop, (b) Websocket.Client 5.5.1 and (c) FeedGuard receive them. Prints ticks/s, bytes and CPU per tick, GC counts and latency percentiles, and writes them as Markdown and JSON.")
        {
            shortMode, outDir, repeat, noSoak, noFailover, profileAlloc, scenarioFilter, clientFilter,
        };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"loopback: {parse.Errors[0].Message} (see --help)").ConfigureAwait(false);
            return Usage;
        }

        root.SetAction(async (result, _) =>
        {
            var isShort = result.GetValue(shortMode);
            var scenarios = Select("--scenario", AllScenarios(isShort), s => s.Name, result.GetValue(scenarioFilter));
            var clients = Select("--client", AllClients(), c => c.Name, result.GetValue(clientFilter));
            var runs = result.GetResult(repeat) is null ? (isShort ? 1 : 3) : result.GetValue(repeat);
            if ((scenarios.Error ?? clients.Error ?? (runs < 1 ? $"--repeat must be at least 1 (got {runs})." : null)) is { } error)
            {
                await Console.Error.WriteLineAsync($"loopback: {error}").ConfigureAwait(false);
                return Usage;
            }

            return await run(new LoopbackRun(
                isShort,
                result.GetValue(outDir)!,
                runs,
                Soak: !result.GetValue(noSoak),
                Failover: !result.GetValue(noFailover),
                result.GetValue(profileAlloc),
                scenarios.Selected,
                clients.Selected)).ConfigureAwait(false);
        });

        return await parse.InvokeAsync().ConfigureAwait(false);
    }

    /// <summary>Every scenario, in the order the report lists them; short mode sends fewer ticks.</summary>
    private static Scenario[] AllScenarios(bool shortMode) => shortMode
        ? [new("blast, 1 tick/msg", 100_000, 1, 0, 64), new("blast, 64 ticks/msg", 500_000, 64, 0, 64), new("paced 10k/s, 1 tick/msg", 10_000, 1, 10_000, 64), new("paced 100k/s, 1 tick/msg", 50_000, 1, 100_000, 64)]
        : [new("blast, 1 tick/msg", 2_000_000, 1, 0, 64), new("blast, 64 ticks/msg", 10_000_000, 64, 0, 64), new("paced 10k/s, 1 tick/msg", 100_000, 1, 10_000, 64), new("paced 100k/s, 1 tick/msg", 1_000_000, 1, 100_000, 64)];

    /// <summary>Every client, (a) first: the ratios are against the floor and Websocket.Client of the same scenario.</summary>
    private static IClient[] AllClients() =>
        [new FloorClient(), new WebsocketClientClient(), new FeedGuardClient(BufferPolicy.LatestPerInstrument), new FeedGuardClient(BufferPolicy.Wait), new FeedGuardClient(BufferPolicy.Inline)];

    // No filter: everything. Otherwise whatever any filter names (case-insensitive substring); a filter
    // that names nothing is an error listing the names, not an empty run.
    private static (T[] Selected, string? Error) Select<T>(string flag, T[] all, Func<T, string> name, string[]? filters)
    {
        if (filters is null or [])
        {
            return (all, null);
        }

        var unmatched = filters.FirstOrDefault(f => !all.Any(x => name(x).Contains(f, StringComparison.OrdinalIgnoreCase)));
        if (unmatched is not null)
        {
            return ([], $"{flag} \"{unmatched}\" matches none of: {string.Join("; ", all.Select(name))}.");
        }

        return ([.. all.Where(x => filters.Any(f => name(x).Contains(f, StringComparison.OrdinalIgnoreCase)))], null);
    }
}
