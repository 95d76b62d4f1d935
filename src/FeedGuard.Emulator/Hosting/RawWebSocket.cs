using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using FeedGuard.Emulator.Faults;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FeedGuard.Emulator.Hosting;

/// <summary>
/// WebSocket upgrade done by hand so the emulator owns the byte stream under the WebSocket
/// (needed to stall control frames) and can reset the TCP connection (needed for a faithful drop).
/// </summary>
internal static class RawWebSocket
{
    private const string Rfc6455Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static bool IsUpgradeRequest(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true
        && context.Request.Headers.SecWebSocketKey.Count == 1
        && HttpMethods.IsGet(context.Request.Method);

    /// <summary>
    /// Completes the handshake and wraps the connection. Keep-alive is off: the server never
    /// sends unsolicited PONG frames, which a real broker does not do either.
    /// </summary>
    public static async Task<WebSocket> AcceptAsync(HttpContext context, FaultController faults, string broker)
    {
        var key = context.Request.Headers.SecWebSocketKey.ToString();
#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for Sec-WebSocket-Accept; it is not used for security here.
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Rfc6455Guid)));
#pragma warning restore CA5350
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = accept;
        var stream = await context.Features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync().ConfigureAwait(false);
        return WebSocket.CreateFromStream(new FaultableStream(stream, faults, broker), new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = TimeSpan.Zero,
        });
    }

    /// <summary>Resets the TCP connection (RST, no FIN, no close frame) and tells Kestrel to let go of it.</summary>
    public static void Reset(HttpContext context) => Reset(SocketOf(context), context);

    /// <summary>The TCP socket under a request, captured early: features are gone once the request ends.</summary>
    public static Socket? SocketOf(HttpContext context) => context.Features.Get<IConnectionSocketFeature>()?.Socket;

    /// <inheritdoc cref="Reset(HttpContext)"/>
    public static void Reset(Socket? socket, HttpContext context)
    {
        if (socket is not null)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close(0);
            }
            catch (ObjectDisposedException)
            {
            }
            catch (SocketException)
            {
            }
        }

        try
        {
            context.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The request already ended; the reset above was all there was to do.
        }
    }
}
