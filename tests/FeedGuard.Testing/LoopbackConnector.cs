using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using FeedGuard.Sources.Sockets;

namespace FeedGuard.Testing;

/// <summary>
/// Hands a broker source real WebSockets over loopback TCP (no HTTP upgrade), keeping the server
/// ends for the test to script. Not an emulator: the test writes every frame itself.
/// </summary>
/// <typeparam name="TCredentials">The broker's credentials, recorded per connect.</typeparam>
public sealed class LoopbackConnector<TCredentials> : IWebSocketConnector<TCredentials>, IAsyncDisposable
{
    private readonly Channel<LoopbackServerEnd> _servers = Channel.CreateUnbounded<LoopbackServerEnd>();
    private readonly List<IDisposable> _owned = [];
    private int _connects;

    /// <summary>The credentials of every connect, in order.</summary>
    public List<TCredentials> SeenCredentials { get; } = [];

    /// <summary>When set, the Nth connect (1-based) throws this instead of connecting.</summary>
    public Func<int, Exception?> FailOn { get; set; } = _ => null;

    /// <inheritdoc />
    public async ValueTask<WebSocket> ConnectAsync(TCredentials credentials, CancellationToken cancellationToken)
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
        _servers.Writer.TryWrite(new LoopbackServerEnd(serverSocket, server));
        return clientSocket;
    }

    /// <summary>The server end of the next socket the source opens (bounded wait).</summary>
    public async Task<LoopbackServerEnd> NextServerAsync() => await _servers.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    /// <inheritdoc />
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
}
