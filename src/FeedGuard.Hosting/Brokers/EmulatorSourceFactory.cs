using FeedGuard.Emulator;
using FeedGuard.Emulator.SmartApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Hosting.Brokers;

/// <summary>
/// The built-in emulator: the real SmartAPI client against the emulator's URLs with the emulator's
/// demo credentials, so demo mode exercises the same code as production. Starts the emulator
/// in-process on a free loopback port unless <c>FeedGuard:Emulator:Url</c> names a running one.
/// </summary>
internal sealed class EmulatorSourceFactory : IFeedSourceFactory
{
    private const string SmartStreamPath = "smart-stream";

    public FeedGuardBroker Broker => FeedGuardBroker.Emulator;

    public IReadOnlyList<string> Validate(FeedGuardOptions options) => [];

    public async ValueTask<FeedSources> CreateAsync(FeedGuardOptions options, IServiceProvider services, CancellationToken cancellationToken)
    {
        var demoCredentials = new SmartApiEmulatorOptions();
        BrokerEmulator? emulator = null;
        var baseUrl = options.Emulator.Url;
        if (baseUrl is null)
        {
            emulator = await BrokerEmulator.StartAsync(
                new EmulatorOptions
                {
                    Seed = options.Emulator.Seed,
                    TicksPerSecond = options.Emulator.TicksPerSecond,
                    LoggerFactory = services.GetRequiredService<ILoggerFactory>(),
                },
                cancellationToken).ConfigureAwait(false);
            baseUrl = emulator.BaseUrl;
        }

        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        var stream = new UriBuilder(new Uri(root, SmartStreamPath)) { Scheme = root.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        var smartApi = options.SmartApi with
        {
            StreamUrl = emulator?.SmartStreamUrl ?? stream,
            RestUrl = emulator?.SmartApiRestUrl ?? root,
            ApiKey = demoCredentials.ApiKey,
            ClientCode = demoCredentials.ClientCode,
            JwtToken = demoCredentials.JwtToken,
            FeedToken = demoCredentials.FeedToken,
        };

        try
        {
            return SmartApiSourceFactory.Create(smartApi, services) with { Emulator = emulator, EmulatorUrl = root };
        }
        catch
        {
            if (emulator is not null)
            {
                await emulator.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}
