using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.Testing;

/// <summary>One scripted connection: the test pushes frames through it and ends it at will.</summary>
public sealed class ScriptedConnection : IStreamConnection
{
    // Continuations run synchronously on purpose: a drop is handled inside the test's call.
    private readonly TaskCompletionSource<StreamDisconnect> _completion = new();

    internal ScriptedConnection(IStreamObserver observer)
    {
        Observer = observer;
    }

    /// <summary>The feed's observer for this connection.</summary>
    public IStreamObserver Observer { get; }

    /// <summary>True once the feed disposed it.</summary>
    public bool IsDisposed { get; private set; }

    /// <inheritdoc />
    public Task<StreamDisconnect> Completion => _completion.Task;

    /// <summary>Delivers ticks as one message.</summary>
    public ValueTask EmitAsync(params Tick[] ticks) => Observer.OnTicksAsync(ticks, CancellationToken.None);

    /// <summary>Delivers ticks as one message that the source read the clock for at <paramref name="receivedAt"/> (a timestamp).</summary>
    public ValueTask EmitAsync(long receivedAt, params Tick[] ticks) => Observer.OnTicksAsync(ticks, receivedAt, CancellationToken.None);

    /// <summary>A frame with no tick (heartbeat or pong).</summary>
    public void Heartbeat() => Observer.OnFrameReceived();

    /// <summary>A frame that could not be decoded.</summary>
    public void Malformed(string reason = "scripted malformed frame") => Observer.OnMalformedFrame(reason);

    /// <summary>A text message from the broker (an error, a notice, an order update).</summary>
    public void Message(SourceMessageKind kind, string text, params Instruments.Instrument[] instruments) => Observer.OnSourceMessage(kind, text, instruments);

    /// <summary>Ends the connection from the broker's side.</summary>
    public void Drop(DisconnectReason reason = DisconnectReason.ClosedByServer, string message = "scripted drop", TimeSpan? retryAfter = null) =>
        _completion.TrySetResult(new StreamDisconnect(reason, message, retryAfter));

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        IsDisposed = true;
        _completion.TrySetResult(new StreamDisconnect(DisconnectReason.None, "disposed"));
        return ValueTask.CompletedTask;
    }
}
