namespace FeedGuard.Sources.Sockets;

/// <summary>
/// How one broker socket ends, the same for every broker: exactly once, stopping first (its loops
/// cancelled, the socket aborted) and only then completing with the reason — once the feed is told,
/// it may dispose the socket on another thread. Each broker keeps its own loops and liveness.
/// </summary>
public sealed class SocketLifetime : IDisposable
{
    private readonly MessageSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<StreamDisconnect> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _ended;

    /// <summary>Creates the lifetime of <paramref name="socket"/>.</summary>
    public SocketLifetime(MessageSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
    }

    /// <summary>Cancelled when the socket ends or is closed: the loops' token.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>True once the socket has begun to end or close.</summary>
    public bool IsStopping => _stop.IsCancellationRequested;

    /// <summary>Completes once, with how the socket ended. Never faults.</summary>
    public Task<StreamDisconnect> Completion => _completion.Task;

    /// <summary>
    /// Ends the socket with <paramref name="reason"/>; true for the one call that did. A timer
    /// callback may still land here after <see cref="CloseAsync"/> finished, so that is tolerated.
    /// </summary>
    public bool TryEnd(DisconnectReason reason, string message)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return false;
        }

        try
        {
            _stop.Cancel();
            _socket.Abort();
        }
        catch (ObjectDisposedException)
        {
        }

        return _completion.TrySetResult(new StreamDisconnect(reason, message));
    }

    /// <summary>Marks the end as the client's own, before it closes the socket.</summary>
    public void EndByClient() => _completion.TrySetResult(new StreamDisconnect(DisconnectReason.None, "closed by the client"));

    /// <summary>
    /// Closes politely if the socket is still open, then cancels the loops and aborts the socket.
    /// Politely first: cancelling a pending receive aborts the socket.
    /// </summary>
    public async Task CloseAsync(TimeProvider time)
    {
        if (!_stop.IsCancellationRequested)
        {
            await _socket.ClosePolitelyAsync(time).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Abort();
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();
}
