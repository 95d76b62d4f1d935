namespace FeedGuard.Emulator;

/// <summary>Live counters of a <see cref="BrokerEmulator"/>, for tests and the status page. Thread-safe reads.</summary>
public sealed class EmulatorCounters
{
    private long _connectionsOpen;
    private long _connectionsAccepted;
    private long _handshakesRejected;
    private long _subscriptions;
    private long _packetsSent;
    private long _packetsDropped;
    private long _packetsMuted;
    private long _malformedSent;
    private long _truncatedSent;
    private long _pingsAnswered;
    private long _requestErrors;
    private long _restRequestsServed;
    private long _restRequestsRejected;

    internal EmulatorCounters()
    {
    }

    /// <summary>WebSockets open now.</summary>
    public long ConnectionsOpen => Interlocked.Read(ref _connectionsOpen);

    /// <summary>WebSocket upgrades accepted since start.</summary>
    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>Handshakes refused (401, 429, or reset by a drop fault).</summary>
    public long HandshakesRejected => Interlocked.Read(ref _handshakesRejected);

    /// <summary>Token+mode subscriptions held by open sockets now.</summary>
    public long Subscriptions => Interlocked.Read(ref _subscriptions);

    /// <summary>Well-formed tick packets written.</summary>
    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>Ticks dropped because a socket's queue was full.</summary>
    public long PacketsDropped => Interlocked.Read(ref _packetsDropped);

    /// <summary>Ticks withheld by a mute or stall fault.</summary>
    public long PacketsMuted => Interlocked.Read(ref _packetsMuted);

    /// <summary>Packets replaced by a wrong mode byte or garbage.</summary>
    public long MalformedSent => Interlocked.Read(ref _malformedSent);

    /// <summary>Packets cut short.</summary>
    public long TruncatedSent => Interlocked.Read(ref _truncatedSent);

    /// <summary>Text <c>ping</c> frames answered with <c>pong</c>.</summary>
    public long PingsAnswered => Interlocked.Read(ref _pingsAnswered);

    /// <summary>E1001/E1002 error frames sent.</summary>
    public long RequestErrors => Interlocked.Read(ref _requestErrors);

    /// <summary>REST requests answered with data.</summary>
    public long RestRequestsServed => Interlocked.Read(ref _restRequestsServed);

    /// <summary>REST requests refused (auth, rate limit, cap, injected errors).</summary>
    public long RestRequestsRejected => Interlocked.Read(ref _restRequestsRejected);

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsOpen);
        Interlocked.Increment(ref _connectionsAccepted);
    }

    internal void ConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);

    internal void HandshakeRejected() => Interlocked.Increment(ref _handshakesRejected);

    internal void AddSubscriptions(long delta) => Interlocked.Add(ref _subscriptions, delta);

    internal void PacketSent() => Interlocked.Increment(ref _packetsSent);

    internal void PacketDropped() => Interlocked.Increment(ref _packetsDropped);

    internal void PacketMuted() => Interlocked.Increment(ref _packetsMuted);

    internal void Malformed() => Interlocked.Increment(ref _malformedSent);

    internal void Truncated() => Interlocked.Increment(ref _truncatedSent);

    internal void PingAnswered() => Interlocked.Increment(ref _pingsAnswered);

    internal void RequestError() => Interlocked.Increment(ref _requestErrors);

    internal void RestServed() => Interlocked.Increment(ref _restRequestsServed);

    internal void RestRejected() => Interlocked.Increment(ref _restRequestsRejected);
}
