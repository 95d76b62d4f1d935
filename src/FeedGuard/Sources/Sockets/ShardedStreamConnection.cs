namespace FeedGuard.Sources.Sockets;

/// <summary>
/// The sockets of one connect, seen as one connection: it ends with the first socket's failure and
/// closes the rest, so the supervisor reconnects (and resubscribes) everything together.
/// </summary>
public sealed class ShardedStreamConnection : IStreamConnection
{
    private readonly IReadOnlyList<IStreamConnection> _shards;
    private readonly TaskCompletionSource<StreamDisconnect> _completion = new();
    private Task? _closing;
    private int _disposed;

    /// <summary>Joins <paramref name="shards"/>, which this connection now owns.</summary>
    public ShardedStreamConnection(IReadOnlyList<IStreamConnection> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        _shards = shards;
        foreach (var shard in shards)
        {
            _ = shard.Completion.ContinueWith(
                ended => OnShardEnded(ended.Result),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <inheritdoc />
    public Task<StreamDisconnect> Completion => _completion.Task;

    /// <inheritdoc />
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

    private void OnShardEnded(StreamDisconnect ended)
    {
        if (_completion.TrySetResult(ended))
        {
            // Closing the siblings is not the caller's business; DisposeAsync waits for it.
            Volatile.Write(ref _closing, Task.Run(CloseAllAsync));
        }
    }

    private async Task CloseAllAsync()
    {
        foreach (var shard in _shards)
        {
            await shard.DisposeAsync().ConfigureAwait(false);
        }
    }
}
