using System.Net.WebSockets;
using FeedGuard.Sources.Sockets;

namespace FeedGuard.SmartApi.Streaming;

/// <summary>
/// The production connector: a <see cref="ClientWebSocket"/> with the SmartStream auth headers,
/// the runtime's keep-alive PING with a timeout, and response details kept so a refused upgrade
/// can be classified.
/// </summary>
internal sealed class ClientWebSocketConnector : IWebSocketConnector<SmartApiCredentials>
{
    private readonly SmartApiOptions _options;
    private readonly TimeProvider _time;

    public ClientWebSocketConnector(SmartApiOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public ValueTask<WebSocket> ConnectAsync(SmartApiCredentials credentials, CancellationToken cancellationToken) =>
        WebSocketUpgrade.ConnectAsync(
            _options.StreamUrl,
            _options.KeepAliveInterval,
            _options.KeepAliveTimeout,
            options =>
            {
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
            },
            (status, headers, cause) => HandshakeClassifier.Classify(status, headers, cause, credentials, _time.GetUtcNow()),
            cancellationToken);
}
