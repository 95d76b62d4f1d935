using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace FeedGuard.Emulator.Hosting;

/// <summary>
/// The life of one emulated broker socket, the same for every broker: registered while open, a
/// receive loop that reassembles bounded client messages, the broker's own loops (writer, clocks)
/// started beside it and awaited after it, and the two ways a fault ends it (a TCP reset with no
/// close frame, or a close frame with a bounded wait for the client's answer). What a message
/// means and what goes on the wire is the broker's business.
/// </summary>
internal abstract class EmulatorSession : IEmulatorConnection
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly HttpContext _context;
    private readonly System.Net.Sockets.Socket? _tcp;
    private readonly int _maxRequestBytes;
    private readonly CancellationTokenSource _cts;
    private readonly TaskCompletionSource _receiveDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _closing;
    private int _dropped;
    private Task? _closeTask;

    protected EmulatorSession(long id, string broker, HttpContext context, WebSocket socket, EmulatorRuntime runtime, int maxRequestBytes)
    {
        Id = id;
        Broker = broker;
        _context = context;
        _tcp = RawWebSocket.SocketOf(context);
        Socket = socket;
        Runtime = runtime;
        _maxRequestBytes = maxRequestBytes;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(runtime.Stopping, context.RequestAborted);
    }

    public long Id { get; }

    public string Broker { get; }

    protected WebSocket Socket { get; }

    protected EmulatorRuntime Runtime { get; }

    /// <summary>Runs the socket until the client leaves, a fault ends it or the emulator stops.</summary>
    public async Task RunAsync()
    {
        Runtime.Connections.Add(this);
        Runtime.Counters.ConnectionOpened();
        Log.ConnectionOpened(Runtime.Logger, Broker, Id);
        var loops = StartLoops(_cts.Token);
        var reason = "client closed";
        try
        {
            await ReceiveLoopAsync(_cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            reason = Runtime.Stopping.IsCancellationRequested ? "emulator stopping" : "aborted";
        }
        catch (WebSocketException ex)
        {
            reason = Volatile.Read(ref _dropped) == 1 ? "dropped by fault" : "network error";
            Log.ConnectionFailed(Runtime.Logger, Broker, Id, ex);
        }
        catch (IOException ex)
        {
            reason = "network error";
            Log.ConnectionFailed(Runtime.Logger, Broker, Id, ex);
        }
        finally
        {
            _receiveDone.TrySetResult();
            OnReceiveEnded();
            await _cts.CancelAsync().ConfigureAwait(false);
            foreach (var loop in loops)
            {
                await loop.ConfigureAwait(false);
            }

            if (_closeTask is not null)
            {
                await _closeTask.ConfigureAwait(false);
            }

            Runtime.Connections.Remove(this);
            Runtime.Counters.ConnectionClosed();
            Socket.Dispose();
            _cts.Dispose();
            Log.ConnectionClosed(Runtime.Logger, Broker, Id, reason);
        }
    }

    public void Drop()
    {
        Volatile.Write(ref _dropped, 1);
        RawWebSocket.Reset(_tcp, _context);
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Close(string? description)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            _closeTask = CloseCoreAsync(description ?? "Server closing");
        }
    }

    /// <summary>Starts the broker's loops beside the receive loop; they must end when the token is cancelled.</summary>
    protected abstract Task[] StartLoops(CancellationToken cancellationToken);

    /// <summary>
    /// One whole text message from the client. When it was longer than the session's bound,
    /// <paramref name="oversized"/> is set and the bytes are not the message.
    /// </summary>
    protected abstract void OnTextMessage(ReadOnlySpan<byte> message, bool oversized);

    /// <summary>The client is gone: release subscriptions and let the writer finish.</summary>
    protected abstract void OnReceiveEnded();

    private async Task CloseCoreAsync(string description)
    {
        try
        {
            await Socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, description, _cts.Token).ConfigureAwait(false);
            await Task.WhenAny(_receiveDone.Task, Task.Delay(CloseGrace, Runtime.Time, _cts.Token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        if (!_receiveDone.Task.IsCompleted)
        {
            // The client never answered the close frame: let go of the connection anyway.
            RawWebSocket.Reset(_tcp, _context);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (Socket.State == WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (message.Length + result.Count <= _maxRequestBytes)
            {
                message.Write(buffer, 0, result.Count);
            }
            else
            {
                message.SetLength(_maxRequestBytes + 1);
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            // The real servers' reaction to client binary frames is undocumented: ignore them.
            if (result.MessageType == WebSocketMessageType.Text)
            {
                OnTextMessage(message.GetBuffer().AsSpan(0, (int)message.Length), message.Length > _maxRequestBytes);
            }

            message.SetLength(0);
        }
    }
}
