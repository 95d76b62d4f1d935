using FeedGuard.SmartApi;
using FeedGuard.SmartApi.Polling;
using FeedGuard.SmartApi.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Hosting.Brokers;

/// <summary>Angel One SmartAPI: SmartStream plus REST quote polling, from <c>FeedGuard:SmartApi:*</c>.</summary>
internal sealed class SmartApiSourceFactory : IFeedSourceFactory
{
    public FeedGuardBroker Broker => FeedGuardBroker.SmartApi;

    public IReadOnlyList<string> Validate(FeedGuardOptions options)
    {
        var problems = new List<string>(options.SmartApi.Validate());
        var credentials = options.SmartApi.Credentials;
        foreach (var (name, value) in new[] { ("ApiKey", credentials.ApiKey), ("ClientCode", credentials.ClientCode), ("JwtToken", credentials.JwtToken), ("FeedToken", credentials.FeedToken) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                problems.Add($"{SmartApiOptions.SectionName}:{name} is required when FeedGuard:Broker is SmartApi (set it with user secrets or the environment variable FeedGuard__SmartApi__{name}).");
            }
        }

        return problems;
    }

    public ValueTask<FeedSources> CreateAsync(FeedGuardOptions options, IServiceProvider services, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Create(options.SmartApi, services));

    /// <summary>The SmartAPI client for <paramref name="smartApi"/>; shared with the emulator broker, which differs only in URLs and credentials.</summary>
    internal static FeedSources Create(SmartApiOptions smartApi, IServiceProvider services)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var loggers = services.GetRequiredService<ILoggerFactory>();

        // The polling source applies its own per-request timeout on the injected clock.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
        var streaming = new SmartApiStreamingSource(smartApi, null, time, loggers);
        var polling = new SmartApiPollingSource(smartApi, http, null, time, loggers);
        return new FeedSources(streaming, polling) { Resources = [http] };
    }
}
