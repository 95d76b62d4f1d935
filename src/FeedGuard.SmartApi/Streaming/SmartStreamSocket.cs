using System.Net.WebSockets;
using FeedGuard.Instruments;
using FeedGuard.Sources;
using FeedGuard.Sources.Sockets;
using Microsoft.Extensions.Logging;

namespace FeedGuard.SmartApi.Streaming;

/// <summary>
/// One subscribed SmartStream socket: a receive loop that decodes straight from a reused buffer,
/// and heartbeat timers that send text <c>ping</c> and condemn a silent socket. It ends exactly
/// once, with a classified reason, and never reconnects.
/// </summary>
internal sealed partial class SmartStreamSocket : IStreamConnection
{
    // One packet per message: 379 bytes at most for the modes FeedGuard subscribes; error JSON is small.
    private const int ReceiveBufferSize = 4096;

    private static readonly byte[] PingFrame = "ping"u8.ToArray();

    private readonly MessageSocket _socket;
    private readonly StreamRequest _request;
    private readonly IStreamObserver _observer;
    private readonly SmartApiOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Asynchronous continuations: the feed disposes this socket when it completes, which must not
    // happen inside End() before End has cancelled and aborted.
    private readonly SocketLifetime _life;
    // Frames of any kind received, written only by the receive loop. The heartbeat asks whether a frame
    // came after a ping by comparing counts, so a message costs an increment, not a clock read.
    private long _framesReceived;
    private Task _receiveLoop = Task.CompletedTask;
    private int _disposed;

    public SmartStreamSocket(
        int index,
        WebSocket socket,
        Instrument[] instruments,
        StreamRequest request,
        IStreamObserver observer,
        SmartApiOptions options,
        TimeProvider time,
        ILogger logger)
    {
        Index = index;
        Instruments = instruments;
        CorrelationId = "feedguard" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _socket = new MessageSocket(socket);
        _life = new SocketLifetime(_socket);
        _request = request;
        _observer = observer;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>1-based socket number, for logs and messages.</summary>
    public int Index { get; }

    /// <summary>The instruments subscribed on this socket.</summary>
    public Instrument[] Instruments { get; }

    /// <summary>The correlation id of this socket's subscribe request (≤ 10 alphanumerics).</summary>
    public string CorrelationId { get; }

    /// <summary>Completes once, with how the socket ended. Never faults.</summary>
    public Task<StreamDisconnect> Completion => _life.Completion;

    /// <summary>Sends the subscribe request for this socket's instruments.</summary>
    public async ValueTask SubscribeAsync(CancellationToken cancellationToken)
    {
        var json = SubscribeRequest.Build(CorrelationId, subscribe: true, SubscribeRequest.ToWireMode(_request.Mode), Instruments);
        await _socket.SendAsync(json, WebSocketMessageType.Text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the receive and heartbeat loops.</summary>
    public void Start()
    {
        StartHeartbeat();
        _receiveLoop = ReceiveLoopAsync(_life.Token);
    }

    /// <summary>Closes the socket (politely if it is still open) and waits for the loops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _life.EndByClient();
        var pingSend = StopHeartbeat();

        await _life.CloseAsync(_time).ConfigureAwait(false);
        await pingSend.ConfigureAwait(false);
        await _receiveLoop.ConfigureAwait(false);
        _socket.Dispose();
        _life.Dispose();
    }

    private void End(DisconnectReason reason, string message)
    {
        if (_life.TryEnd(reason, message))
        {
            Log.SocketEnded(_logger, Index, reason, message);
        }
    }
}
