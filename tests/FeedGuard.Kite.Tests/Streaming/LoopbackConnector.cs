using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using FeedGuard.Kite.Streaming;

namespace FeedGuard.Kite.Tests.Streaming;

/// <summary>
/// Hands the source real WebSockets over loopback TCP (no HTTP upgrade), keeping the server ends
/// for the test to script. Not an emulator: the test writes every frame itself.
/// </summary>
internal sealed class LoopbackConnector : IKiteConnector, IAsyncDisposable
{
    private readonly Channel<ServerEnd> _servers = Channel.CreateUnbounded<ServerEnd>();
    private readonly List<IDisposable> _owned = [];
    private int _connects;

    public List<KiteCredentials> SeenCredentials { get; } = [];

    /// <summary>When set, the Nth connect (1-based) throws this instead of connecting.</summary>
    public Func<int, Exception?> FailOn { get; set; } = _ => null;

    public async ValueTask<WebSocket> ConnectAsync(KiteCredentials credentials, CancellationToken cancellationToken)
    {
        int n;
        lock (SeenCredentials)
        {
            SeenCredentials.Add(credentials);
            n = ++_connects;
        }

        if (FailOn(n) is { } failure)
        {
            throw failure;
        }

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cancellationToken);
        var server = await listener.AcceptTcpClientAsync(cancellationToken);
        listener.Stop();
        lock (_owned)
        {
            _owned.Add(client);
            _owned.Add(server);
        }

        var serverSocket = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var clientSocket = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        _servers.Writer.TryWrite(new ServerEnd(serverSocket, server));
        return clientSocket;
    }

    /// <summary>The server end of the next socket the source opens (bounded wait).</summary>
    public async Task<ServerEnd> NextServerAsync() => await _servers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    public ValueTask DisposeAsync()
    {
        lock (_owned)
        {
            foreach (var item in _owned)
            {
                item.Dispose();
            }
        }

        return ValueTask.CompletedTask;
    }

    internal sealed class ServerEnd(WebSocket socket, TcpClient tcp)
    {
        public WebSocket Socket { get; } = socket;

        public async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveAsync()
        {
            var buffer = new byte[256 * 1024];
            var count = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await Socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
                count += result.Count;
            }
            while (!result.EndOfMessage);
            return (result.MessageType, buffer[..count]);
        }

        public async Task<string> ReceiveTextAsync()
        {
            var (type, payload) = await ReceiveAsync();
            Assert.Equal(WebSocketMessageType.Text, type);
            return Encoding.UTF8.GetString(payload);
        }

        public Task SendTextAsync(string text) =>
            Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

        public Task SendBinaryAsync(byte[] payload) =>
            Socket.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);

        /// <summary>Sends one message as several WebSocket frames, as a server may for a large batch.</summary>
        public async Task SendBinaryInPiecesAsync(byte[] payload, int piece)
        {
            for (var offset = 0; offset < payload.Length; offset += piece)
            {
                var length = Math.Min(piece, payload.Length - offset);
                await Socket.SendAsync(payload.AsMemory(offset, length), WebSocketMessageType.Binary, offset + length == payload.Length, CancellationToken.None);
            }
        }

        /// <summary>Drops the TCP connection without a close frame.</summary>
        public void Drop()
        {
            tcp.Client.LingerState = new LingerOption(true, 0);
            tcp.Close();
        }
    }
}
