using System.Net.WebSockets;
using System.Text;
using FeedGuard.Sources.Sockets;
using FeedGuard.Testing;

namespace FeedGuard.Tests.Sources.Sockets;

public sealed class MessageSocketTests : IAsyncLifetime
{
    private readonly LoopbackConnector<string> _connector = new();
    private MessageSocket _socket = null!;
    private LoopbackServerEnd _server = null!;

    public async Task InitializeAsync()
    {
        _socket = new MessageSocket(await _connector.ConnectAsync("credentials", CancellationToken.None));
        _server = await _connector.NextServerAsync();
    }

    public async Task DisposeAsync()
    {
        _socket.Dispose();
        await _connector.DisposeAsync();
    }

    private Task<ReceivedMessage> ReceiveAsync(byte[] buffer) => _socket.ReceiveAsync(buffer, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    [Fact]
    public async Task ReceiveAsync_MessageInSeveralFrames_IsGatheredWhole()
    {
        var payload = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        await _server.SendBinaryInPiecesAsync(payload, 100);

        var buffer = new byte[4096];
        var message = await ReceiveAsync(buffer);

        Assert.Equal(new ReceivedMessage(WebSocketMessageType.Binary, 1000, Oversized: false, MidMessage: false), message);
        Assert.Equal(payload, buffer[..1000]);
    }

    [Fact]
    public async Task ReceiveAsync_MessageLargerThanTheBuffer_IsDrainedAndTheNextOneReadsClean()
    {
        await _server.SendBinaryInPiecesAsync(new byte[300], 64);
        await _server.SendTextAsync("next");

        var buffer = new byte[128];
        var oversized = await ReceiveAsync(buffer);
        var next = await ReceiveAsync(buffer);

        Assert.True(oversized.Oversized);
        Assert.Equal(new ReceivedMessage(WebSocketMessageType.Text, 4, Oversized: false, MidMessage: false), next);
        Assert.Equal("next", Encoding.UTF8.GetString(buffer, 0, next.Count));
    }

    [Fact]
    public async Task ReceiveAsync_CloseFrame_IsReportedWithItsStatus()
    {
        await _server.Socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "bye", CancellationToken.None);

        var message = await ReceiveAsync(new byte[64]);

        Assert.Equal(WebSocketMessageType.Close, message.Type);
        Assert.False(message.MidMessage);
        Assert.Equal("1001", _socket.CloseStatusText);
    }

    [Fact]
    public async Task ReceiveAsync_MessagesAlreadyBuffered_EachReadWholeInOrderThroughToTheClose()
    {
        // Everything is sent before the first read, so most reads complete at once from what the socket
        // already holds: whole messages, a message whose first piece is already there, and the close frame.
        var pieces = Enumerable.Range(0, 30).Select(i => (byte)i).ToArray();
        await _server.SendTextAsync("a");
        await _server.SendBinaryAsync([1, 2, 3]);
        await _server.SendBinaryInPiecesAsync(pieces, 10);
        await _server.SendTextAsync("c");
        await _server.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        var buffer = new byte[64];
        Assert.Equal(new ReceivedMessage(WebSocketMessageType.Text, 1, Oversized: false, MidMessage: false), await ReceiveAsync(buffer));
        Assert.Equal(new ReceivedMessage(WebSocketMessageType.Binary, 3, Oversized: false, MidMessage: false), await ReceiveAsync(buffer));
        Assert.Equal(new ReceivedMessage(WebSocketMessageType.Binary, 30, Oversized: false, MidMessage: false), await ReceiveAsync(buffer));
        Assert.Equal(pieces, buffer[..30]);
        Assert.Equal(new ReceivedMessage(WebSocketMessageType.Text, 1, Oversized: false, MidMessage: false), await ReceiveAsync(buffer));
        Assert.Equal((byte)'c', buffer[0]);
        Assert.Equal(WebSocketMessageType.Close, (await ReceiveAsync(buffer)).Type);
        Assert.Equal("1000", _socket.CloseStatusText);
    }

    [Fact]
    public async Task SendAsync_ConcurrentSends_ArriveAsWholeMessages()
    {
        var a = new string('a', 50_000);
        var b = new string('b', 50_000);

        await Task.WhenAll(
            _socket.SendAsync(Encoding.UTF8.GetBytes(a), WebSocketMessageType.Text, CancellationToken.None),
            _socket.SendAsync(Encoding.UTF8.GetBytes(b), WebSocketMessageType.Text, CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(10));

        string[] received = [await _server.ReceiveTextAsync(), await _server.ReceiveTextAsync()];
        Assert.Equal([a, b], received.Order());
    }

    [Fact]
    public async Task ClosePolitelyAsync_SendsANormalCloseFrame_AndDoesNothingOnceClosed()
    {
        await _socket.ClosePolitelyAsync(TimeProvider.System).WaitAsync(TimeSpan.FromSeconds(10));
        var (type, _) = await _server.ReceiveAsync();

        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, _server.Socket.CloseStatus);
        await _socket.ClosePolitelyAsync(TimeProvider.System).WaitAsync(TimeSpan.FromSeconds(10));
    }
}
