using System.Collections.Concurrent;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Status;

namespace FeedGuard;

// The serial executor and the state every handler shares. Handlers run one at a time, in the order
// they were posted, on whichever thread posted first (a timer, a source's completion): that makes
// the supervisor the single writer of its state without a thread of its own, and makes it run
// synchronously under a fake clock. A handler never blocks; it starts background work whose
// completion posts the next handler.
public sealed partial class MarketFeed
{
    private readonly ConcurrentQueue<Action> _work = new();
    private int _draining;

    // ---- state owned by the executor ----
    private FeedState _state = FeedState.Connecting;
    private DataTier _tier = DataTier.Streaming;
    private DateTimeOffset _since;
    private readonly DateTimeOffset _startedAt;
    private FeedError? _lastError;
    private FeedError? _statusReason;
    private bool _stopped;

    private volatile StatusCore _statusCore = null!;

    private void Post(Action handler)
    {
        _work.Enqueue(handler);
        while (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            while (_work.TryDequeue(out var next))
            {
                try
                {
                    next();
                }
                catch (Exception ex)
                {
                    // A bug in one handler must not kill the supervisor: log it and keep serving.
                    Log.SupervisorError(_logger, Name, ex);
                }
            }

            PublishStatusCore();
            Volatile.Write(ref _draining, 0);
            if (_work.IsEmpty)
            {
                return;
            }
        }
    }

    private void Transition(FeedState to, DisconnectReason reason, string detail)
    {
        if (_state == to)
        {
            return;
        }

        var from = _state;
        _state = to;
        _since = _time.GetUtcNow();
        _statusReason = new FeedError(reason, detail, _since);
        _tier = to switch
        {
            FeedState.Connecting or FeedState.Streaming => DataTier.Streaming,
            FeedState.Polling => DataTier.Polling,
            FeedState.Simulation => DataTier.Simulation,
            _ => _tier,
        };

        if (reason == DisconnectReason.None)
        {
            Log.Recovered(_logger, Name, from, to, detail);
        }
        else
        {
            Log.StateChanged(_logger, Name, from, to, reason, detail);
        }

        _events.Publish(new ModeChangedEvent(from, to, reason, detail));
    }

    private void RecordError(DisconnectReason reason, string message) => _lastError = new FeedError(reason, message, _time.GetUtcNow());

    private void PublishStatusCore() => _statusCore = new StatusCore(
        _state, _tier, _since, _statusReason, _lastError, _attemptsInRound, _nextReconnectAt, _connection is not null, _authBlocked, _reconnectsTotal);

    private void HandleStart()
    {
        if (_stopped)
        {
            return;
        }

        Log.Started(_logger, Name, Instruments.Count, _options.FeedMode, _streamingSource.Name, _pollingSource?.Name ?? "none", _options.AllowSimulation ? "allowed" : "off");
        _healthTimer = _time.CreateTimer(_ => Post(HandleHealthCheck), null, _options.HealthCheckInterval, _options.HealthCheckInterval);
        StartConnectAttempt();
    }

    private void HandleStop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _healthTimer?.Dispose();
        CancelReconnect();
        StopPolling();
        StopSimulation();
        StopCredentialsRefresh();
        _promoteTimer?.Dispose();
        _ingest.SetAccepted(null, poll: false, simulated: false);
        _attemptObserver = null;
        DropConnection();
        Transition(FeedState.Stopped, DisconnectReason.None, "stop requested");

        // Completing the buffers first releases a producer waiting on a full lossless subscriber;
        // readers still drain what is buffered.
        _hub.Complete();
        _events.Complete();
        _lifetime.Cancel();
    }

    /// <summary>The executor's state as last published, read by status without a lock.</summary>
    private sealed record StatusCore(
        FeedState State,
        DataTier Tier,
        DateTimeOffset Since,
        FeedError? StatusReason,
        FeedError? LastError,
        int AttemptsInRound,
        DateTimeOffset? NextReconnectAt,
        bool ConnectionActive,
        bool AuthBlocked,
        long ReconnectsTotal);
}
