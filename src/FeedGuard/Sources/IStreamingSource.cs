namespace FeedGuard.Sources;

/// <summary>
/// A broker's streaming feed. The supervisor owns retries: a source connects once per call and
/// reports how the connection ended; it never reconnects by itself.
/// </summary>
public interface IStreamingSource
{
    /// <summary>A short name for logs and status, such as <c>smartapi</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Connects, authenticates and subscribes every instrument of <paramref name="request"/>, then
    /// starts delivering to <paramref name="observer"/>. Returns once subscribed.
    /// </summary>
    /// <exception cref="FeedConnectionException">The attempt failed; its reason decides the recovery.</exception>
    ValueTask<IStreamConnection> ConnectAsync(StreamRequest request, IStreamObserver observer, CancellationToken cancellationToken);

    /// <summary>
    /// Problems that would make every connect fail whatever the network does (too many instruments
    /// for the broker's limits, an exchange it does not serve). The feed calls this once when it is
    /// built and refuses to start with a message that lists them. Default: none.
    /// </summary>
    IReadOnlyList<string> Validate(StreamRequest request) => [];
}
