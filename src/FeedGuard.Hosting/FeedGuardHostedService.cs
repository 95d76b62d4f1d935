using Microsoft.Extensions.Hosting;

namespace FeedGuard.Hosting;

/// <summary>Starts the gateway's feed with the host and stops it (status <c>stopped</c>, sockets closed) on shutdown.</summary>
internal sealed class FeedGuardHostedService : IHostedService
{
    private readonly FeedGuardGateway _gateway;

    public FeedGuardHostedService(FeedGuardGateway gateway) => _gateway = gateway;

    public Task StartAsync(CancellationToken cancellationToken) => _gateway.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => _gateway.StopAsync(cancellationToken);
}
