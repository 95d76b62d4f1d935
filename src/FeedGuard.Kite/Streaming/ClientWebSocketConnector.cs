using System.Net.WebSockets;

namespace FeedGuard.Kite.Streaming;

/// <summary>
/// The production connector: a <see cref="ClientWebSocket"/> to the ticker URL with
/// <c>api_key</c> and <c>access_token</c> as query parameters and <c>X-Kite-Version: 3</c>, the
/// runtime's keep-alive PING with a timeout, and response details kept so a refused upgrade can be
/// classified. The URL with credentials exists only here and is never printed.
/// </summary>
internal sealed class ClientWebSocketConnector : IKiteConnector
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

    public async ValueTask<WebSocket> ConnectAsync(KiteCredentials credentials, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            var options = socket.Options;
            options.CollectHttpResponseDetails = true;
            options.KeepAliveInterval = _options.KeepAliveInterval;
            if (_options.KeepAliveInterval > TimeSpan.Zero)
            {
                options.KeepAliveTimeout = _options.KeepAliveTimeout;
            }

            options.SetRequestHeader("X-Kite-Version", "3");

            try
            {
                await socket.ConnectAsync(AuthenticatedUrl(_options.StreamUrl, credentials), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or System.Net.Sockets.SocketException or IOException)
            {
                throw HandshakeClassifier.Classify(socket.HttpStatusCode, socket.HttpResponseHeaders, ex, credentials, _time.GetUtcNow());
            }

            socket.HttpResponseHeaders = null;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
