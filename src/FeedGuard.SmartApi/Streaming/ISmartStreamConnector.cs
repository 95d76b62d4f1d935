using System.Net.WebSockets;

namespace FeedGuard.SmartApi.Streaming;

/// <summary>Opens one authenticated SmartStream WebSocket. The seam lets tests supply a socket.</summary>
internal interface ISmartStreamConnector
{
    /// <summary>Connects and upgrades; throws <see cref="Sources.FeedConnectionException"/> with the failure classified.</summary>
    ValueTask<WebSocket> ConnectAsync(SmartApiCredentials credentials, CancellationToken cancellationToken);
}
