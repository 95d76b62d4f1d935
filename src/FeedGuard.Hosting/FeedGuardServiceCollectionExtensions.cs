using FeedGuard.Hosting;
using FeedGuard.Hosting.Brokers;
using FeedGuard.Hosting.Health;
using FeedGuard.Hosting.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers FeedGuard in a .NET host.</summary>
public static class FeedGuardServiceCollectionExtensions
{
    /// <summary>The health check's registration name (and tag).</summary>
    public const string HealthCheckName = "feedguard";

    /// <summary>
    /// Adds FeedGuard: binds the <c>FeedGuard</c> section of <paramref name="configuration"/>
    /// (validated when the host starts; the error names every bad key and the allowed values),
    /// the broker sources (Emulator, SmartApi and Kite built in), a singleton <see cref="FeedGuard.MarketFeed"/>
    /// started and stopped with the host, a <see cref="FeedGuardGateway"/>, and the health check
    /// <c>feedguard</c>. Map it with <c>app.MapHealthChecks("/healthz")</c>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">Configuration holding the <c>FeedGuard</c> section (appsettings, environment, user secrets).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddFeedGuard(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFeedSourceFactory, EmulatorSourceFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFeedSourceFactory, SmartApiSourceFactory>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFeedSourceFactory, KiteSourceFactory>());

        services.AddSingleton<IOptionsFactory<FeedGuardOptions>>(sp => new FeedGuardOptionsFactory(configuration, sp.GetServices<IFeedSourceFactory>()));
        services.AddOptions<FeedGuardOptions>().ValidateOnStart();

        services.TryAddSingleton<FeedGuardGateway>();

        // Built when the host starts (the hosted service awaits it first); resolving it earlier builds it then.
        services.TryAddSingleton(sp => sp.GetRequiredService<FeedGuardGateway>().GetFeedAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult());
        services.AddHostedService<FeedGuardHostedService>();
        services.AddHealthChecks().AddCheck<FeedGuardHealthCheck>(HealthCheckName, tags: [HealthCheckName]);
        return services;
    }
}
