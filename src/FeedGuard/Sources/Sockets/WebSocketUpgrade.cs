using System.Net;
using System.Net.WebSockets;

namespace FeedGuard.Sources.Sockets;

/// <summary>
/// The client side of a broker WebSocket upgrade, the same for every broker: the runtime's
/// keep-alive PING with its timeout, response details kept so a refused upgrade can be classified
/// by status and headers, and the socket disposed on any failure. Which headers or query carry the
/// credentials, and what a refusal means, is the broker's business.
/// </summary>
public static class WebSocketUpgrade
{
    /// <summary>Connects to <paramref name="url"/>.</summary>
    /// <param name="url">The endpoint, with any credentials it must carry; never logged here.</param>
    /// <param name="keepAliveInterval">The client's keep-alive PING interval; zero turns it off.</param>
    /// <param name="keepAliveTimeout">How long a PING may go unanswered; used only when the interval is positive.</param>
    /// <param name="setHeaders">Adds the broker's request headers.</param>
    /// <param name="classify">
    /// Turns a failed upgrade into a classified failure from the HTTP status (0 when there was no
    /// HTTP answer), the response headers and the runtime's exception.
    /// </param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    public static async ValueTask<WebSocket> ConnectAsync(
        Uri url,
        TimeSpan keepAliveInterval,
        TimeSpan keepAliveTimeout,
        Action<ClientWebSocketOptions> setHeaders,
        Func<HttpStatusCode, IReadOnlyDictionary<string, IEnumerable<string>>?, Exception, FeedConnectionException> classify,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setHeaders);
        ArgumentNullException.ThrowIfNull(classify);
        var socket = new ClientWebSocket();
        try
        {
            var options = socket.Options;
            options.CollectHttpResponseDetails = true;
            options.KeepAliveInterval = keepAliveInterval;
            if (keepAliveInterval > TimeSpan.Zero)
            {
                options.KeepAliveTimeout = keepAliveTimeout;
            }

            setHeaders(options);
            try
            {
                await socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or System.Net.Sockets.SocketException or IOException)
            {
                throw classify(socket.HttpStatusCode, socket.HttpResponseHeaders, ex);
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

    /// <summary>The first value of response header <paramref name="name"/> (case-insensitive), or null.</summary>
    public static string? Header(IReadOnlyDictionary<string, IEnumerable<string>>? headers, string name)
    {
        if (headers is null)
        {
            return null;
        }

        foreach (var (key, values) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }
}
