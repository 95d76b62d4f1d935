using FeedGuard.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Hosting.Brokers;

/// <summary>
/// Where demo mode's emulator is: the one <c>FeedGuard:Emulator:Url</c> names (for example one started
/// with <c>feedguard emulate</c>), or a new one in-process on a free loopback port. Shared by every
/// broker's demo mode, which differ only in which of the emulator's endpoints their client talks to.
/// </summary>
internal sealed record EmulatorEndpoint(BrokerEmulator? InProcess, Uri Root)
{
    public static async ValueTask<EmulatorEndpoint> LocateAsync(FeedGuardOptions options, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (options.Emulator.Url is { } url)
        {
            return new EmulatorEndpoint(null, url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/"));
        }

        var emulator = await BrokerEmulator.StartAsync(
            new EmulatorOptions
            {
                Seed = options.Emulator.Seed,
                TicksPerSecond = options.Emulator.TicksPerSecond,
                LoggerFactory = services.GetRequiredService<ILoggerFactory>(),
            },
            cancellationToken).ConfigureAwait(false);
        return new EmulatorEndpoint(emulator, emulator.BaseUrl.AbsoluteUri.EndsWith('/') ? emulator.BaseUrl : new Uri(emulator.BaseUrl.AbsoluteUri + "/"));
    }

    /// <summary>The WebSocket URL of the endpoint at <paramref name="path"/> (relative to the root).</summary>
    public Uri WebSocket(string path) => new UriBuilder(new Uri(Root, path)) { Scheme = Root.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;

    /// <summary>Builds the sources with <paramref name="create"/>; stops the in-process emulator if that fails.</summary>
    public async ValueTask<FeedSources> CreateSourcesAsync(Func<FeedSources> create)
    {
        try
        {
            return create() with { Emulator = InProcess, EmulatorUrl = Root };
        }
        catch
        {
            if (InProcess is not null)
            {
                await InProcess.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }
}
