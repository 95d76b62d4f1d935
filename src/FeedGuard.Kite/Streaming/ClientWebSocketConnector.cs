using System.Net.WebSockets;
using FeedGuard.Sources.Sockets;

namespace FeedGuard.Kite.Streaming;

/// <summary>
/// The production connector: a <see cref="ClientWebSocket"/> to the ticker URL with
/// <c>api_key</c> and <c>access_token</c> as query parameters and <c>X-Kite-Version: 3</c>, the
/// runtime's keep-alive PING with a timeout, and response details kept so a refused upgrade can be
/// classified. The URL with credentials exists only here and is never printed.
/// </summary>
internal sealed class ClientWebSocketConnector : IWebSocketConnector<KiteCredentials>
{
    private readonly KiteOptions _options;
    private readonly TimeProvider _time;

    public ClientWebSocketConnector(KiteOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>The ticker URL with the credentials appended to any query the configured URL has.</summary>
    public static Uri AuthenticatedUrl(Uri streamUrl, KiteCredentials credentials)
    {
        var builder = new UriBuilder(streamUrl);
        var existing = builder.Query.TrimStart('?');
        var auth = $"api_key={Uri.EscapeDataString(credentials.ApiKey)}&access_token={Uri.EscapeDataString(credentials.AccessToken)}";
        builder.Query = existing.Length == 0 ? auth : existing + "&" + auth;
        return builder.Uri;
    }

    public ValueTask<WebSocket> ConnectAsync(KiteCredentials credentials, CancellationToken cancellationToken) =>
        WebSocketUpgrade.ConnectAsync(
            AuthenticatedUrl(_options.StreamUrl, credentials),
            _options.KeepAliveInterval,
            _options.KeepAliveTimeout,
            options => options.SetRequestHeader("X-Kite-Version", "3"),
            (status, headers, cause) => HandshakeClassifier.Classify(status, headers, cause, credentials, _time.GetUtcNow()),
            cancellationToken);
}
