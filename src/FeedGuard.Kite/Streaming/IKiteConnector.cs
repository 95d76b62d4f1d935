using System.Net.WebSockets;

namespace FeedGuard.Kite.Streaming;

/// <summary>Opens one authenticated Kite ticker WebSocket. The seam lets tests supply a socket.</summary>
internal interface IKiteConnector
{
    /// <summary>Connects and upgrades; throws <see cref="Sources.FeedConnectionException"/> with the failure classified.</summary>
    ValueTask<WebSocket> ConnectAsync(KiteCredentials credentials, CancellationToken cancellationToken);
}
