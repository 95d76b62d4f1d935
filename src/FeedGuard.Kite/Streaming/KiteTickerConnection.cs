using FeedGuard.Sources;

namespace FeedGuard.Kite.Streaming;

/// <summary>
/// The sockets of one connect, seen as one connection: it ends with the first socket's failure and
/// closes the rest, so the supervisor reconnects (and resubscribes) everything together.
/// </summary>
internal sealed class KiteTickerConnection : IStreamConnection
{
    private readonly KiteTickerSocket[] _sockets;
    private readonly TaskCompletionSource<StreamDisconnect> _completion = new();
    private Task? _closing;
    private int _disposed;

    public KiteTickerConnection(KiteTickerSocket[] sockets)
    {
        _sockets = sockets;
        foreach (var socket in sockets)
        {
            _ = socket.Completion.ContinueWith(
                ended => OnSocketEnded(ended.Result),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    public Task<StreamDisconnect> Completion => _completion.Task;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _completion.TrySetResult(new StreamDisconnect(DisconnectReason.None, "closed by the client"));
        await CloseAllAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _closing) is { } closing)
        {
            await closing.ConfigureAwait(false);
        }
    }

    private void OnSocketEnded(StreamDisconnect ended)
    {
        if (_completion.TrySetResult(ended))
        {
            // Closing the siblings is not the caller's business; DisposeAsync waits for it.
            Volatile.Write(ref _closing, Task.Run(CloseAllAsync));
        }
    }

    private async Task CloseAllAsync()
    {
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync().ConfigureAwait(false);
        }
    }
}
