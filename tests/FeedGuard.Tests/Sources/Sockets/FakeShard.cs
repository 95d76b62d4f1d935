using FeedGuard.Sources;

namespace FeedGuard.Tests.Sources.Sockets;

/// <summary>A socket stand-in for the shard machinery: it ends when told and records its disposal.</summary>
internal sealed class FakeShard(int index) : IStreamConnection
{
    private readonly TaskCompletionSource<StreamDisconnect> _completion = new();

    public int Index { get; } = index;

    public int Disposals { get; private set; }

    public Task<StreamDisconnect> Completion => _completion.Task;

    public void End(DisconnectReason reason, string message) => _completion.TrySetResult(new StreamDisconnect(reason, message));

    public ValueTask DisposeAsync()
    {
        Disposals++;
        _completion.TrySetResult(new StreamDisconnect(DisconnectReason.None, "closed by the client"));
        return ValueTask.CompletedTask;
    }
}
