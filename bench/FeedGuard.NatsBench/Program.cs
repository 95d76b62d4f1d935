// NATS JetStream scale-out figures (bench/README.md §3): publish throughput and end-to-end latency
// from the gateway's receive stamp to a remote consumer, on loopback, against a real nats-server
// started here on a free port with a temporary store.
//
//   dotnet run -c Release --project bench/FeedGuard.NatsBench [-- --seconds 10 --rates 10000,100000]
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FeedGuard;
using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.Nats.Connection;
using FeedGuard.Nats.Consuming;
using FeedGuard.Nats.Publishing;
using FeedGuard.Testing;
using FeedGuard.Testing.Nats;
using FeedGuard.Ticks;

const int InstrumentCount = 100;

// A typo must not cost a run measuring the wrong thing: bad flags and values exit 2 with one line naming them.
var secondsOption = new Option<int>("--seconds") { Description = "Seconds per paced rate.", DefaultValueFactory = _ => 10 };
var ratesOption = new Option<string>("--rates") { Description = "Paced rates in ticks/s, comma-separated.", DefaultValueFactory = _ => "10000,100000" };
var command = new RootCommand("FeedGuard NATS JetStream bench: publish throughput and receive-stamp → remote consumer latency against a real nats-server on loopback.") { secondsOption, ratesOption };
var parse = command.Parse(args);
if (parse.Errors.Count > 0)
{
    return await UsageAsync(parse.Errors[0].Message);
}

if (parse.Action is not null)
{
    // --help or --version: System.CommandLine's own answer.
    return await parse.InvokeAsync();
}

var seconds = parse.GetValue(secondsOption);
if (seconds < 1)
{
    return await UsageAsync($"--seconds must be at least 1 (got {seconds}).");
}

if (Rates(parse.GetValue(ratesOption)) is not { } rates)
{
    return await UsageAsync($"--rates must be positive whole numbers separated by commas (got \"{parse.GetValue(ratesOption)}\").");
}

Console.WriteLine($"NATS bench: {InstrumentCount} instruments, {seconds} s per rate, nats-server {NatsServerProcess.ExecutablePath}, {Environment.ProcessorCount} cores, load {Load()}");
Console.WriteLine();
Console.WriteLine("| target ticks/s | offered | offered ticks/s | published ticks/s | overflowed | consumer got | latency p50 | p99 | max |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var rate in rates)
{
    Console.WriteLine(await RunAsync(rate, seconds));
}

Console.WriteLine();
Console.WriteLine($"max publish throughput (offered as fast as the feed takes them): {await MaxThroughputAsync(300_000):N0} ticks/s");
return 0;

static async Task<string> RunAsync(int rate, int seconds)
{
    await using var nats = await NatsServerProcess.StartAsync();
    await using var rig = await Rig.StartAsync(nats.Url, bufferCapacity: 1_000_000);
    var latencies = new List<long>(rate * seconds);
    var measuring = 0;
    var warmedUp = 0;
    using var stop = new CancellationTokenSource();
    await using var consumer = new NatsTickConsumer(new NatsConsumerOptions
    {
        Connection = new NatsConnectionSettings { Url = nats.Url },
        Stream = "BENCH",
        Instruments = rig.Feed.Instruments.All.Select(i => i.Key).ToList(),
        // A fresh server per rate: the whole stream is this run's ticks, even if the consumer is slow to start.
        Start = NatsConsumerStart.All,
    });
    var reading = Task.Run(async () =>
    {
        try
        {
            await foreach (var tick in consumer.ReadAsync(stop.Token))
            {
                if (Volatile.Read(ref measuring) == 1)
                {
                    latencies.Add(DateTimeOffset.UtcNow.UtcTicks - tick.ReceiveTimeUtcTicks);
                }
                else
                {
                    Interlocked.Increment(ref warmedUp);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    });

    // Warm-up, not measured: one second at the target rate, read through to the consumer, so JIT,
    // stream creation and the consumer's own start are not counted as latency.
    var (warmOffered, _) = await rig.OfferAsync(rate, TimeSpan.FromSeconds(1));
    var warming = Stopwatch.StartNew();
    while (Volatile.Read(ref warmedUp) < warmOffered && warming.Elapsed < TimeSpan.FromSeconds(30))
    {
        await Task.Delay(10);
    }

    var publishedBefore = rig.Publisher.GetStatus().Published;
    Volatile.Write(ref measuring, 1);
    var (offered, offeredRate) = await rig.OfferAsync(rate, TimeSpan.FromSeconds(seconds));
    var clock = Stopwatch.StartNew();
    while (rig.Publisher.GetStatus() is { Buffered: > 0 } or { Pending: > 0 } && clock.Elapsed < TimeSpan.FromSeconds(30))
    {
        await Task.Delay(10);
    }

    var drained = clock.Elapsed;
    while (latencies.Count < offered && clock.Elapsed < TimeSpan.FromSeconds(60))
    {
        await Task.Delay(10);
    }

    await stop.CancelAsync();
    await reading;
    var status = rig.Publisher.GetStatus();
    var published = (status.Published - publishedBefore) / (seconds + drained.TotalSeconds);
    var sorted = latencies.Order().ToArray();
    string Ms(double q) => sorted.Length == 0 ? "-" : $"{sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] / 10_000.0:0.00} ms";
    return string.Create(CultureInfo.InvariantCulture,
        $"| {rate:N0} | {offered:N0} | {offeredRate:N0} | {published:N0} | {status.Overflowed:N0} | {sorted.Length:N0} | {Ms(0.50)} | {Ms(0.99)} | {(sorted.Length == 0 ? "-" : $"{sorted[^1] / 10_000.0:0.00} ms")} |");
}

static async Task<double> MaxThroughputAsync(int count)
{
    await using var nats = await NatsServerProcess.StartAsync();
    await using var rig = await Rig.StartAsync(nats.Url, bufferCapacity: count);
    var clock = Stopwatch.StartNew();
    await rig.OfferAsync(rate: 0, TimeSpan.Zero, count);
    while (rig.Publisher.GetStatus() is var s && s.Published + s.Duplicates + s.Overflowed < count && clock.Elapsed < TimeSpan.FromMinutes(2))
    {
        await Task.Delay(5);
    }

    return rig.Publisher.GetStatus().Published / clock.Elapsed.TotalSeconds;
}

static async Task<int> UsageAsync(string message)
{
    await Console.Error.WriteLineAsync($"natsbench: {message} (see --help)");
    return 2;
}

static int[]? Rates(string? text)
{
    var parts = (text ?? "").Split(',', StringSplitOptions.TrimEntries);
    var rates = new int[parts.Length];
    for (var i = 0; i < parts.Length; i++)
    {
        if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out rates[i]) || rates[i] < 1)
        {
            return null;
        }
    }

    return rates;
}

static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

/// <summary>A feed on a scripted stream (ticks stamped with the wall clock as they are offered) and its publisher.</summary>
internal sealed class Rig : IAsyncDisposable
{
    private readonly ScriptedStreamingSource _source;
    private readonly long[] _sequences;

    private Rig(MarketFeed feed, ScriptedStreamingSource source, NatsTickPublisher publisher)
    {
        Feed = feed;
        _source = source;
        Publisher = publisher;
        _sequences = new long[feed.Instruments.Count];
    }

    public MarketFeed Feed { get; }

    public NatsTickPublisher Publisher { get; }

    public static async Task<Rig> StartAsync(Uri nats, int bufferCapacity)
    {
        var keys = Enumerable.Range(0, 100).Select(i => new InstrumentKey(Exchange.Nse, (10_000 + i).ToString(CultureInfo.InvariantCulture))).ToList();
        var source = new ScriptedStreamingSource();
        var feed = new MarketFeed(new MarketFeedOptions { Name = "bench", Instruments = keys, Sessions = new SessionCalendarOptions { AlwaysOpen = true } }, source);
        var publisher = new NatsTickPublisher(feed, new NatsPublisherOptions
        {
            Connection = new NatsConnectionSettings { Url = nats },
            Stream = "BENCH",
            BufferCapacity = bufferCapacity,
        });
        await publisher.StartAsync();
        await feed.StartAsync();
        var clock = Stopwatch.StartNew();
        while ((source.Connections.Count == 0 || !publisher.GetStatus().Connected) && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        return new Rig(feed, source, publisher);
    }

    /// <summary>Offers ticks at <paramref name="rate"/> per second (0: as fast as the feed takes them) in 1 ms batches; returns how many and at what rate.</summary>
    public async Task<(long Count, double Rate)> OfferAsync(int rate, TimeSpan duration, int count = int.MaxValue)
    {
        var connection = _source.Current;
        var instruments = Feed.Instruments.All;
        var clock = Stopwatch.StartNew();
        var sent = 0L;
        var batch = new Tick[256];
        var next = 0;
        while (sent < count && (rate == 0 || clock.Elapsed < duration))
        {
            var due = rate == 0 ? Math.Min(batch.Length, count - sent) : (long)(clock.Elapsed.TotalSeconds * rate) - sent;
            if (due <= 0)
            {
                await Task.Yield();
                continue;
            }

            var n = (int)Math.Min(due, batch.Length);
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < n; i++)
            {
                var instrument = instruments[next];
                next = (next + 1) % instruments.Count;
                var sequence = ++_sequences[instrument.Id];
                batch[i] = new Tick(instrument, TickSource.Stream, 100_000 + (sequence % 500), 2, now) { ExchangeTime = now, Sequence = sequence, Volume = sequence };
            }

            await connection.Observer.OnTicksAsync(batch.AsMemory(0, n), CancellationToken.None);
            sent += n;
        }

        return (sent, sent / Math.Max(clock.Elapsed.TotalSeconds, 1e-9));
    }

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        await Publisher.DisposeAsync();
    }
}
