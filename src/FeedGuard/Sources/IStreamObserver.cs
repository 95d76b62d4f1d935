using FeedGuard.Ticks;

namespace FeedGuard.Sources;

/// <summary>
/// What a streaming source reports to the supervisor from its receive loop. Every member is cheap
/// and never runs user code, so a source may call it for every frame.
/// </summary>
public interface IStreamObserver
{
    /// <summary>
    /// Hands decoded ticks on, one call per received message or batch (never one per tick). Counts
    /// as a received frame. Completes synchronously unless a lossless subscriber is full; a source
    /// awaits it before reusing the memory, which is how back-pressure reaches the socket.
    /// </summary>
    ValueTask OnTicksAsync(ReadOnlyMemory<Tick> ticks, CancellationToken cancellationToken);

    /// <summary>
    /// As <see cref="OnTicksAsync(ReadOnlyMemory{Tick}, CancellationToken)"/>, for a source that has
    /// already read the clock for this message (its ticks' receive time, from a <see cref="ReceiveClock"/>):
    /// <paramref name="receivedAt"/> is that reading, a <see cref="TimeProvider.GetTimestamp"/> of the
    /// provider the feed was given, and saves the feed a reading of its own. Observers that have no use for
    /// it ignore it.
    /// </summary>
    ValueTask OnTicksAsync(ReadOnlyMemory<Tick> ticks, long receivedAt, CancellationToken cancellationToken) =>
        OnTicksAsync(ticks, cancellationToken);

    /// <summary>A frame that carries no tick arrived (heartbeat, pong, acknowledgement): the connection is alive.</summary>
    void OnFrameReceived();

    /// <summary>
    /// A frame or packet could not be decoded and was skipped. <paramref name="reason"/> should be a
    /// constant string (it is logged, rate-limited); it must not contain payload bytes or secrets.
    /// </summary>
    void OnMalformedFrame(string reason);

    /// <summary>
    /// The broker said something in words: a subscription error (SmartAPI E1001/E1002, Kite
    /// <c>error</c>), a notice, or an order postback. It reaches the event stream and, for errors
    /// about <paramref name="instruments"/>, their status. Never contains credentials.
    /// </summary>
    void OnSourceMessage(SourceMessageKind kind, string message, IReadOnlyList<Instruments.Instrument>? instruments = null);
}
