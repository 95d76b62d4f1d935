using System.Net.WebSockets;

namespace FeedGuard.SmartApi.Streaming;

/// <summary>
/// The production connector: a <see cref="ClientWebSocket"/> with the SmartStream auth headers,
/// the runtime's keep-alive PING with a timeout, and response details kept so a refused upgrade
/// can be classified.
/// </summary>
internal sealed class ClientWebSocketConnector : ISmartStreamConnector
{
    private readonly SmartApiOptions _options;
    private readonly TimeProvider _time;

    public ClientWebSocketConnector(SmartApiOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public async ValueTask<WebSocket> ConnectAsync(SmartApiCredentials credentials, CancellationToken cancellationToken)
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

            if (credentials.JwtToken.Length > 0)
            {
                options.SetRequestHeader("Authorization", _options.StreamBearerPrefix ? "Bearer " + credentials.JwtToken : credentials.JwtToken);
            }

            if (credentials.ApiKey.Length > 0)
            {
                options.SetRequestHeader("x-api-key", credentials.ApiKey);
            }

            options.SetRequestHeader("x-client-code", credentials.ClientCode);
            options.SetRequestHeader("x-feed-token", credentials.FeedToken);

            try
            {
                await socket.ConnectAsync(_options.StreamUrl, cancellationToken).ConfigureAwait(false);
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
