using FeedGuard.Sources;

namespace FeedGuard.SmartApi.Streaming;

/// <summary>
/// The sockets of one connect, seen as one connection: it ends with the first socket's failure and
/// closes the rest, so the supervisor reconnects (and resubscribes) everything together.
/// </summary>
internal sealed class SmartStreamConnection : IStreamConnection
{
    private readonly SmartStreamSocket[] _sockets;
    private readonly TaskCompletionSource<StreamDisconnect> _completion = new();
    private Task? _closing;
    private int _disposed;

    public SmartStreamConnection(SmartStreamSocket[] sockets)
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
        if (_closing is not null)
        {
            await _closing.ConfigureAwait(false);
        }
    }

    private void OnSocketEnded(StreamDisconnect ended)
    {
        if (_completion.TrySetResult(ended))
        {
            // Closing the siblings is not the caller's business; DisposeAsync waits for it.
            _closing = Task.Run(CloseAllAsync);
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
