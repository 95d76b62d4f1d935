using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace FeedGuard.Testing;

/// <summary>The server end of a <see cref="LoopbackConnector{TCredentials}"/> socket, scripted by the test.</summary>
public sealed class LoopbackServerEnd(WebSocket socket, TcpClient tcp)
{
    /// <summary>The server's WebSocket.</summary>
    public WebSocket Socket { get; } = socket;

    /// <summary>Receives one whole message (bounded wait).</summary>
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

    /// <summary>Receives one message that must be text.</summary>
    public async Task<string> ReceiveTextAsync()
    {
        var (type, payload) = await ReceiveAsync();
        return type == WebSocketMessageType.Text
            ? Encoding.UTF8.GetString(payload)
            : throw new InvalidOperationException($"Expected a text message from the client, got {type}.");
    }

    /// <summary>Sends a text message.</summary>
    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Sends a binary message.</summary>
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
