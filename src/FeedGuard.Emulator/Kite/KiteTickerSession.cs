using System.Net.WebSockets;
using System.Threading.Channels;
using FeedGuard.Emulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace FeedGuard.Emulator.Kite;

/// <summary>
/// One Kite ticker socket: a receive loop (subscribe, unsubscribe, mode), a frame clock that
/// asks the writer every <see cref="KiteEmulatorOptions.FrameInterval"/> to send what changed,
/// and a single writer loop so frames never interleave. The writer batches every changed
/// instrument into one frame, sends a 1-byte heartbeat when the line has been idle, and applies
/// the faults that shape data (stall, mute, malformed, truncated).
/// </summary>
internal sealed partial class KiteTickerSession : IEmulatorConnection
{
    private const int MaxRequestBytes = 1024 * 1024;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly HttpContext _context;
    private readonly System.Net.Sockets.Socket? _tcp;
    private readonly WebSocket _socket;
    private readonly EmulatorRuntime _runtime;
    private readonly KiteEmulatorOptions _options;
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _cts;
    private readonly Random _random;
    private readonly TaskCompletionSource _receiveDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pollQueued;
    private int _closing;
    private int _dropped;
    private Task? _closeTask;

    public KiteTickerSession(long id, HttpContext context, WebSocket socket, EmulatorRuntime runtime)
    {
        Id = id;
        _context = context;
        _tcp = RawWebSocket.SocketOf(context);
        _socket = socket;
        _runtime = runtime;
        _options = runtime.Options.Kite;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(runtime.Stopping, context.RequestAborted);
        _random = new Random(HashCode.Combine(runtime.Options.Seed, id, EmulatorBrokers.Kite.Length));
        _lastSend = runtime.Time.GetTimestamp();
    }

    /// <summary>A text frame to send, or (Data null) the frame clock's request to send changed instruments.</summary>
    private readonly record struct Outbound(byte[]? Data);

    public long Id { get; }

    public string Broker => EmulatorBrokers.Kite;

    public async Task RunAsync()
    {
        _runtime.Connections.Add(this);
        _runtime.Counters.ConnectionOpened();
        Log.ConnectionOpened(_runtime.Logger, Broker, Id);
        var writer = Task.Run(() => WriteLoopAsync(_cts.Token));
        var clock = Task.Run(() => FrameClockAsync(_cts.Token));
        var reason = "client closed";
        try
        {
            await ReceiveLoopAsync(_cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            reason = _runtime.Stopping.IsCancellationRequested ? "emulator stopping" : "aborted";
        }
        catch (WebSocketException ex)
        {
            reason = Volatile.Read(ref _dropped) == 1 ? "dropped by fault" : "network error";
            Log.ConnectionFailed(_runtime.Logger, Broker, Id, ex);
        }
        catch (IOException ex)
        {
            reason = "network error";
            Log.ConnectionFailed(_runtime.Logger, Broker, Id, ex);
        }
        finally
        {
            _receiveDone.TrySetResult();
            UnsubscribeAll();
            _outbound.Writer.TryComplete();
            await _cts.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            await clock.ConfigureAwait(false);
            if (_closeTask is not null)
            {
                await _closeTask.ConfigureAwait(false);
            }

            _runtime.Connections.Remove(this);
            _runtime.Counters.ConnectionClosed();
            _socket.Dispose();
            _cts.Dispose();
            Log.ConnectionClosed(_runtime.Logger, Broker, Id, reason);
        }
    }

    /// <summary>Queues a text frame (a JSON object with <c>type</c> and <c>data</c>).</summary>
    public void EnqueueText(byte[] json) => _outbound.Writer.TryWrite(new Outbound(json));

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

    private async Task CloseCoreAsync(string description)
    {
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, description, _cts.Token).ConfigureAwait(false);
            await Task.WhenAny(_receiveDone.Task, Task.Delay(CloseGrace, _runtime.Time, _cts.Token)).ConfigureAwait(false);
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
            var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (message.Length + result.Count <= MaxRequestBytes)
            {
                message.Write(buffer, 0, result.Count);
            }
            else
            {
                message.SetLength(MaxRequestBytes + 1);
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            // The real server's reaction to client binary frames and oversized requests is
            // undocumented: ignore them.
            if (result.MessageType == WebSocketMessageType.Text && message.Length <= MaxRequestBytes)
            {
                HandleRequest(message.GetBuffer().AsSpan(0, (int)message.Length));
            }

            message.SetLength(0);
        }
    }

    private async Task FrameClockAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.FrameInterval, _runtime.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                // At most one pending request: a writer held up by a stall does not build a backlog.
                if (Interlocked.Exchange(ref _pollQueued, 1) == 0)
                {
                    _outbound.Writer.TryWrite(new Outbound(null));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
