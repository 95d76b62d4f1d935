using FeedGuard.Emulator.SmartApi;

namespace FeedGuard.Hosting.Brokers;

/// <summary>
/// The built-in emulator: the real SmartAPI client against the emulator's SmartAPI endpoints with the
/// emulator's demo credentials, so demo mode exercises the same code as production. Starts the
/// emulator in-process on a free loopback port unless <c>FeedGuard:Emulator:Url</c> names a running one.
/// </summary>
internal sealed class EmulatorSourceFactory : IFeedSourceFactory
{
    private const string SmartStreamPath = "smart-stream";

    public FeedGuardBroker Broker => FeedGuardBroker.Emulator;

    public IReadOnlyList<string> Validate(FeedGuardOptions options) => [];

    public async ValueTask<FeedSources> CreateAsync(FeedGuardOptions options, IServiceProvider services, CancellationToken cancellationToken)
    {
        var demoCredentials = new SmartApiEmulatorOptions();
        var endpoint = await EmulatorEndpoint.LocateAsync(options, services, cancellationToken).ConfigureAwait(false);
        var smartApi = options.SmartApi with
        {
            StreamUrl = endpoint.InProcess?.SmartStreamUrl ?? endpoint.WebSocket(SmartStreamPath),
            RestUrl = endpoint.InProcess?.SmartApiRestUrl ?? endpoint.Root,
            ApiKey = demoCredentials.ApiKey,
            ClientCode = demoCredentials.ClientCode,
            JwtToken = demoCredentials.JwtToken,
            FeedToken = demoCredentials.FeedToken,
        };

        return await endpoint.CreateSourcesAsync(() => SmartApiSourceFactory.Create(smartApi, services)).ConfigureAwait(false);
    }
}
