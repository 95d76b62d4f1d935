using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace FeedGuard.Sources.Sockets;

/// <summary>
/// A broker WebSocket as a source's receive loop and senders use it, the same for every broker:
/// whole messages gathered into the caller's reused buffer (a large frame arrives in several
/// reads), a message that outgrows the buffer drained and reported rather than decoded in part,
/// sends serialised (WebSocket allows one send at a time), and a polite, bounded close.
/// What the bytes mean is the broker's business.
/// </summary>
public sealed class MessageSocket : IDisposable
{
    private static readonly TimeSpan CloseBound = TimeSpan.FromSeconds(1);

    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    /// <summary>Wraps <paramref name="socket"/>, which this object now owns.</summary>
    public MessageSocket(WebSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
    }

    /// <summary>The socket's state.</summary>
    public WebSocketState State => _socket.State;

    /// <summary>The server's close status as text (<c>1001</c>), or <c>none</c>.</summary>
    public string CloseStatusText => _socket.CloseStatus is { } code ? ((int)code).ToString(CultureInfo.InvariantCulture) : "none";

    /// <summary>
    /// Receives one whole message into <paramref name="buffer"/>. A message larger than the
    /// buffer is read to its end and returned as <see cref="ReceivedMessage.Oversized"/>; a close
    /// frame, even in the middle of a message, is returned as <see cref="WebSocketMessageType.Close"/>.
    /// </summary>
    public ValueTask<ReceivedMessage> ReceiveAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buffer);

        // The common case, a whole message already buffered, without a second async state machine per
        // message (one more layer of awaiting per SmartStream tick, visible in perf at a million a second).
        var pending = _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return GatherAsync(pending, buffer, cancellationToken);
        }

        // A ValueTask's result may be read once: from here on it is the value, not the task.
        var first = pending.Result;
        return first is { EndOfMessage: true, MessageType: not WebSocketMessageType.Close }
            ? new ValueTask<ReceivedMessage>(new ReceivedMessage(first.MessageType, first.Count, Oversized: false, MidMessage: false))
            : GatherAsync(new ValueTask<ValueWebSocketReceiveResult>(first), buffer, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))] // no allocation per message in steady state
    private async ValueTask<ReceivedMessage> GatherAsync(ValueTask<ValueWebSocketReceiveResult> first, byte[] buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        var midMessage = false;
        var result = await first.ConfigureAwait(false);
        while (true)
        {
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new ReceivedMessage(WebSocketMessageType.Close, count, Oversized: false, MidMessage: midMessage);
            }

            count += result.Count;
            midMessage = true;
            if (result.EndOfMessage || count >= buffer.Length)
            {
                break;
            }

            result = await _socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken).ConfigureAwait(false);
        }

        if (result.EndOfMessage)
        {
            return new ReceivedMessage(result.MessageType, count, Oversized: false, MidMessage: false);
        }

        do
        {
            result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
        while (!result.EndOfMessage);
        return new ReceivedMessage(result.MessageType, count, Oversized: true, MidMessage: false);
    }

    /// <summary>Sends one whole message, after any send in progress.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _socket.SendAsync(payload, type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends a normal close frame if the socket is still open, waiting at most a second for any
    /// send in progress and for the frame itself; a gone or slow peer is not an error.
    /// </summary>
    public async Task ClosePolitelyAsync(TimeProvider time)
    {
        if (_socket.State != WebSocketState.Open)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(CloseBound, time);
        try
        {
            await _sendLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // The peer is gone or slow; the caller aborts.
        }
    }

    /// <summary>Aborts the socket: pending receives and sends fail at once.</summary>
    public void Abort() => _socket.Abort();

    /// <inheritdoc />
    public void Dispose()
    {
        _socket.Dispose();
        _sendLock.Dispose();
    }
}

/// <summary>One message as <see cref="MessageSocket.ReceiveAsync"/> read it.</summary>
/// <param name="Type">Text, binary, or close.</param>
/// <param name="Count">The bytes in the buffer (for an oversized message, the buffer's worth).</param>
/// <param name="Oversized">The message outgrew the buffer and was drained; its bytes are not whole.</param>
/// <param name="MidMessage">A close frame arrived after part of a message.</param>
public readonly record struct ReceivedMessage(WebSocketMessageType Type, int Count, bool Oversized, bool MidMessage);
