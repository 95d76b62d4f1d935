using System.Net.WebSockets;

namespace FeedGuard.Sources.Sockets;

/// <summary>
/// Opens one authenticated broker WebSocket. A source's seam: production code upgrades a
/// <see cref="ClientWebSocket"/>, tests hand over the client end of a loopback socket.
/// </summary>
/// <typeparam name="TCredentials">The broker's credentials.</typeparam>
public interface IWebSocketConnector<in TCredentials>
{
    /// <summary>Connects and upgrades; throws <see cref="FeedConnectionException"/> with the failure classified.</summary>
    ValueTask<WebSocket> ConnectAsync(TCredentials credentials, CancellationToken cancellationToken);
}
