using System.Net.WebSockets;
using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Sources;
using FeedGuard.Sources.Sockets;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Kite.Streaming;

/// <summary>
/// One subscribed ticker socket: a receive loop that decodes whole frames straight from a reused
/// buffer into a reused tick array, and a liveness timer that condemns a socket silent for
/// <see cref="KiteOptions.HeartbeatTimeout"/>. It ends exactly once, with a classified reason, and
/// never reconnects: every connect is fresh, so subscriptions and modes are always set anew.
/// </summary>
internal sealed partial class KiteTickerSocket : IStreamConnection
{
    // Text frames (errors, notices, order postbacks) are small; binary frames carry at most one
    // packet per subscribed instrument.
    private const int MinReceiveBufferSize = 64 * 1024;

    private readonly MessageSocket _socket;
    private readonly FeedMode _mode;
    private readonly KiteTickDecoder _decoder;
    private readonly IStreamObserver _observer;
    private readonly KiteCredentials _credentials;
    private readonly KiteOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SocketLifetime _life;
    private long _lastFrameTimestamp;
    private Task _receiveLoop = Task.CompletedTask;
    private int _disposed;

    public KiteTickerSocket(
        int index,
        WebSocket socket,
        Instrument[] instruments,
        FeedMode mode,
        KiteTickDecoder decoder,
        IStreamObserver observer,
        KiteCredentials credentials,
        KiteOptions options,
        TimeProvider time,
        ILogger logger)
    {
        Index = index;
        Instruments = instruments;
        _socket = new MessageSocket(socket);
        _life = new SocketLifetime(_socket);
        _mode = mode;
        _decoder = decoder;
        _observer = observer;
        _credentials = credentials;
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>1-based socket number, for logs and messages.</summary>
    public int Index { get; }

    /// <summary>The instruments subscribed on this socket.</summary>
    public Instrument[] Instruments { get; }

    /// <summary>Completes once, with how the socket ended. Never faults.</summary>
    public Task<StreamDisconnect> Completion => _life.Completion;

    /// <summary>Receive buffer size: one full packet per instrument plus the frame header, at least 64 KiB.</summary>
    public static int ReceiveBufferSize(int instruments) => Math.Max(MinReceiveBufferSize, 2 + (instruments * KiteTickDecoder.MaxPacketBytes));

    /// <summary>Subscribes this socket's tokens, then sets their mode (new subscriptions start in quote).</summary>
    public async ValueTask SubscribeAsync(CancellationToken cancellationToken)
    {
        await _socket.SendAsync(KiteRequests.Subscribe(Instruments), WebSocketMessageType.Text, cancellationToken).ConfigureAwait(false);
        await _socket.SendAsync(KiteRequests.Mode(_mode, Instruments), WebSocketMessageType.Text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts the receive loop and the liveness timer.</summary>
    public void Start()
    {
        Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
        StartLiveness();
        _receiveLoop = ReceiveLoopAsync(_life.Token);
    }

    /// <summary>Closes the socket (politely if it is still open) and waits for the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _life.EndByClient();
        StopLiveness();

        await _life.CloseAsync(_time).ConfigureAwait(false);
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
