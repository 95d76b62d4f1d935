using FeedGuard.Sources;

namespace FeedGuard.Testing;

/// <summary>
/// A streaming source whose every connect outcome is scripted. Outcomes are taken from a queue in
/// order; when the queue is empty, <see cref="DefaultOutcome"/> applies. Everything completes
/// synchronously, so a feed driven by a fake clock reacts inside the call that triggered it.
/// </summary>
public sealed class ScriptedStreamingSource : IStreamingSource
{
    private readonly Queue<ConnectOutcome> _outcomes = new();
    private readonly List<ScriptedConnection> _connections = [];
    private readonly Lock _lock = new();

    /// <inheritdoc />
    public string Name => "scripted-stream";

    /// <summary>What a connect does when nothing is queued. Default: succeed.</summary>
    public ConnectOutcome DefaultOutcome { get; set; } = ConnectOutcome.Succeed;

    /// <summary>How many times the feed tried to connect.</summary>
    public int ConnectAttempts { get; private set; }

    /// <summary>Every connection made, oldest first.</summary>
    public IReadOnlyList<ScriptedConnection> Connections
    {
        get
        {
            lock (_lock)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>The newest connection; throws when none was made.</summary>
    public ScriptedConnection Current => Connections.Count > 0 ? Connections[^1] : throw new InvalidOperationException("No connection has been made.");

    /// <summary>The request the feed sent on its last attempt.</summary>
    public StreamRequest? LastRequest { get; private set; }

    /// <summary>Queues outcomes for the next connect attempts.</summary>
    public ScriptedStreamingSource Then(params ConnectOutcome[] outcomes)
    {
        lock (_lock)
        {
            foreach (var outcome in outcomes)
            {
                _outcomes.Enqueue(outcome);
            }
        }

        return this;
    }

    /// <inheritdoc />
    public ValueTask<IStreamConnection> ConnectAsync(StreamRequest request, IStreamObserver observer, CancellationToken cancellationToken)
    {
        ConnectOutcome outcome;
        lock (_lock)
        {
            ConnectAttempts++;
            LastRequest = request;
            outcome = _outcomes.Count > 0 ? _outcomes.Dequeue() : DefaultOutcome;
        }

        switch (outcome.Kind)
        {
            case ConnectOutcomeKind.Fail:
                return ValueTask.FromException<IStreamConnection>(new FeedConnectionException(outcome.Reason, outcome.Message, outcome.RetryAfter));
            case ConnectOutcomeKind.Hang:
                return new ValueTask<IStreamConnection>(HangAsync(cancellationToken));
            default:
                var connection = new ScriptedConnection(observer);
                lock (_lock)
                {
                    _connections.Add(connection);
                }

                return ValueTask.FromResult<IStreamConnection>(connection);
        }
    }

    private static async Task<IStreamConnection> HangAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        throw new InvalidOperationException("unreachable");
    }
}
