using FeedGuard.Emulator.Kite;
using FeedGuard.Instruments;
using FeedGuard.Kite;
using FeedGuard.Kite.Polling;
using FeedGuard.Kite.Streaming;
using FeedGuard.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Hosting.Brokers;

/// <summary>
/// Zerodha Kite Connect: the ticker WebSocket plus REST quote polling, from <c>FeedGuard:Kite:*</c>.
/// With neither <c>ApiKey</c> nor <c>AccessToken</c> set it is demo mode: the same Kite client
/// against the emulator's Kite endpoint (<c>/kite</c> and the REST <c>/quote</c> endpoints) with the
/// emulator's demo credentials, in-process unless <c>FeedGuard:Emulator:Url</c> names a running one.
/// </summary>
internal sealed class KiteSourceFactory : IFeedSourceFactory
{
    private const string KiteTickerPath = "kite";

    public FeedGuardBroker Broker => FeedGuardBroker.Kite;

    public IReadOnlyList<string> Validate(FeedGuardOptions options)
    {
        var problems = new List<string>(options.Kite.Validate());
        if (!options.KiteDemo)
        {
            foreach (var (name, value) in new[] { ("ApiKey", options.Kite.ApiKey), ("AccessToken", options.Kite.AccessToken) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"{KiteOptions.SectionName}:{name} is required when the other Kite credential is set (set it with user secrets or the environment variable FeedGuard__Kite__{name}; leave both empty for demo mode).");
                }
            }
        }

        if (problems.Count == 0)
        {
            problems.AddRange(InstrumentProblems(options));
        }

        return problems;
    }

    public async ValueTask<FeedSources> CreateAsync(FeedGuardOptions options, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!options.KiteDemo)
        {
            return Create(options.Kite, services);
        }

        var demoCredentials = new KiteEmulatorOptions();
        var endpoint = await EmulatorEndpoint.LocateAsync(options, services, cancellationToken).ConfigureAwait(false);
        var kite = options.Kite with
        {
            StreamUrl = endpoint.InProcess?.KiteStreamUrl ?? endpoint.WebSocket(KiteTickerPath),
            RestUrl = endpoint.InProcess?.KiteRestUrl ?? endpoint.Root,
            ApiKey = demoCredentials.ApiKey,
            AccessToken = demoCredentials.AccessToken,
        };
        return await endpoint.CreateSourcesAsync(() => Create(kite, services)).ConfigureAwait(false);
    }

    private static FeedSources Create(KiteOptions kite, IServiceProvider services)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var loggers = services.GetRequiredService<ILoggerFactory>();

        // The polling source applies its own per-request timeout on the injected clock.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            return new FeedSources(new KiteStreamingSource(kite, null, time, loggers), new KitePollingSource(kite, http, null, time, loggers)) { Resources = [http] };
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What the Kite sources would refuse when the feed is built (a token that is not Kite's, a
    /// missing trading symbol, more than 9000 instruments), said at start against the key.
    /// </summary>
    private static List<string> InstrumentProblems(FeedGuardOptions options)
    {
        InstrumentRegistry registry;
        try
        {
            registry = new InstrumentRegistry(options.Feed.Instruments);
        }
        catch (ArgumentException)
        {
            return []; // duplicates and the like: the core's own check names them
        }

        var request = new StreamRequest(registry, options.Feed.FeedMode);
        using var unused = new HttpClient();
        var problems = new KiteStreamingSource(options.Kite).Validate(request).Concat(new KitePollingSource(options.Kite, unused).Validate(request)).Distinct();
        return problems.Select(p => $"{FeedGuardOptions.SectionName}:Instruments: {p}").ToList();
    }
}
