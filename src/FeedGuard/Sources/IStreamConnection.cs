namespace FeedGuard.Sources;

/// <summary>One live, subscribed streaming connection (possibly several sockets behind it).</summary>
public interface IStreamConnection : IAsyncDisposable
{
    /// <summary>
    /// Completes when the connection ends by itself, with the classified reason. Never faults.
    /// Disposing the connection completes it too.
    /// </summary>
    Task<StreamDisconnect> Completion { get; }
}
