using System.Globalization;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Reconnect;
using FeedGuard.Sources;

namespace FeedGuard;

// The stream tier: connect attempts (single-flight), the reconnect schedule, failure handling and
// promotion back to streaming with hysteresis.
public sealed partial class MarketFeed
{
    private StreamObserver? _attemptObserver;
    private StreamObserver? _connectionObserver;
    private IStreamConnection? _connection;
    private DateTimeOffset _connectedAt;
    private bool _probation;
    private ITimer? _reconnectTimer;
    private ITimer? _promoteTimer;
    private int _attemptsInRound;
    private int _pendingAttempt;
    private long _reconnectsTotal;
    private DateTimeOffset? _nextReconnectAt;
    private DateTimeOffset _streamLostAt;
    private GapCoverage _coverage;
    private long _malformedTotal;
    private long _malformedSinceLog;
    private long _nextMalformedLog;

    private void StartConnectAttempt()
    {
        if (_stopped || _authBlocked || _attemptObserver is not null || _connection is not null)
        {
            return;
        }

        var observer = new StreamObserver(_ingest, _time, OnMalformedFrame, OnSourceMessage);
        _attemptObserver = observer;

        // Ticks may arrive before ConnectAsync returns; accept them from this attempt on.
        _ingest.SetAccepted(observer, poll: _pollTimer is not null, simulated: _simulationTimer is not null);
        Track(ConnectAsync(observer));
    }

    private async Task ConnectAsync(StreamObserver observer)
    {
        IStreamConnection connection;
        using (var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _lifetime.Token))
        {
            try
            {
                connection = await _streamingSource.ConnectAsync(_request, observer, linked.Token).ConfigureAwait(false);
            }
            catch (FeedConnectionException ex)
            {
                Post(() => HandleConnectFailed(observer, ex.Reason, ex.Message, ex.RetryAfter));
                return;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_lifetime.IsCancellationRequested)
            {
                var seconds = _options.ConnectTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                Post(() => HandleConnectFailed(observer, DisconnectReason.NetworkError, $"connect timed out after {seconds} s", null));
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !_lifetime.IsCancellationRequested)
            {
                Post(() => HandleConnectFailed(observer, DisconnectReason.NetworkError, $"{ex.GetType().Name}: {ex.Message}", null));
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        Post(() => HandleConnected(observer, connection));

        // Runs on the thread that ends the connection, whatever its synchronisation context, so the
        // failover starts in the same instant (and deterministically under a fake clock).
        await connection.Completion.ContinueWith(
            ended => Post(() => HandleStreamEnded(observer, ended.Result)),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).ConfigureAwait(false);
    }

    private void HandleConnected(StreamObserver observer, IStreamConnection connection)
    {
        if (observer != _attemptObserver || _stopped)
        {
            Track(connection.DisposeAsync().AsTask());
            return;
        }

        _attemptObserver = null;
        _connection = connection;
        _connectionObserver = observer;
        _connectedAt = _time.GetUtcNow();
        _nextReconnectAt = null;
        if (_state == FeedState.Connecting)
        {
            Log.StreamConnected(_logger, Name, "initial");
            Transition(FeedState.Streaming, DisconnectReason.None, "connected and subscribed");
            return;
        }

        // Restored while a lower tier serves: on probation until it proves itself.
        Log.StreamConnected(_logger, Name, "probation");
        _probation = true;
        if (observer.HasFreshTick)
        {
            HandleFirstFreshTick(observer);
        }
        else if (!AnySessionOpen())
        {
            // Outside every session no tick can prove the stream; a connection that stays up must do.
            ArmPromotion(observer);
        }
    }

    private void HandleConnectFailed(StreamObserver observer, DisconnectReason reason, string message, TimeSpan? retryAfter)
    {
        if (observer != _attemptObserver)
        {
            return;
        }

        _attemptObserver = null;
        _ingest.SetAccepted(null, poll: _pollTimer is not null, simulated: _simulationTimer is not null);
        Log.StreamFailed(_logger, Name, reason, message);
        RecordError(reason, message);
        OnStreamFailure(reason, message, retryAfter, wasServing: _state == FeedState.Connecting);
    }

    private void HandleStreamEnded(StreamObserver observer, StreamDisconnect ended)
    {
        if (observer == _connectionObserver)
        {
            FailStream(ended.Reason == DisconnectReason.None ? DisconnectReason.ClosedByServer : ended.Reason, ended.Message, ended.RetryAfter);
        }
    }

    /// <summary>The current connection failed (it ended, or a health layer condemned it).</summary>
    private void FailStream(DisconnectReason reason, string message, TimeSpan? retryAfter = null)
    {
        var wasServing = _state == FeedState.Streaming;
        DropConnection();
        Log.StreamFailed(_logger, Name, reason, message);
        RecordError(reason, message);
        OnStreamFailure(reason, message, retryAfter, wasServing);
    }

    private void OnStreamFailure(DisconnectReason reason, string message, TimeSpan? retryAfter, bool wasServing)
    {
        if (wasServing)
        {
            _streamLostAt = _time.GetUtcNow();
            _coverage = GapCoverage.None;
        }

        if (reason == DisconnectReason.AuthRejected)
        {
            EnterAuthError(message);
            return;
        }

        if (wasServing)
        {
            FallBack(reason, message);
        }

        ScheduleReconnect(reason, retryAfter);
    }

    /// <summary>Hands the data flow to the best lower tier at once: polling, else simulation if allowed, else error.</summary>
    private void FallBack(DisconnectReason reason, string message)
    {
        if (_pollingSource is not null)
        {
            EnterPolling(reason, message);
        }
        else if (_options.AllowSimulation)
        {
            EnterSimulation(reason, message + "; no polling source");
        }
        else
        {
            Transition(FeedState.Error, reason, message + "; no polling source and simulation not allowed");
        }
    }

    private void ScheduleReconnect(DisconnectReason reason, TimeSpan? retryAfter)
    {
        var step = ReconnectPolicy.NextStep(_options.Reconnect, _attemptsInRound, reason, retryAfter, _random());
        if (step.Kind == ReconnectStepKind.Stop)
        {
            return;
        }

        CancelReconnect();
        var dueAt = _time.GetUtcNow() + step.Delay;
        _pendingAttempt = step.Attempt;
        _nextReconnectAt = dueAt;
        _reconnectTimer = OneShot(step.Delay, HandleReconnectDue);
        Log.ReconnectScheduled(_logger, Name, step.Attempt, (long)step.Delay.TotalMilliseconds, step.Kind);
        _events.Publish(new ReconnectAttemptEvent(step.Attempt, step.Delay, step.Kind, dueAt));

        void HandleReconnectDue(ITimer firing)
        {
            if (firing != _reconnectTimer)
            {
                return;
            }

            CancelReconnect();
            if (_stopped || _authBlocked || _connection is not null || _attemptObserver is not null)
            {
                return;
            }

            _attemptsInRound = _pendingAttempt;
            _reconnectsTotal++;
            StartConnectAttempt();
        }
    }

    /// <summary>
    /// A timer that posts <paramref name="handler"/> once, with itself as the argument so the handler
    /// can tell a current timer from one that was replaced while its callback was in flight.
    /// </summary>
    private ITimer OneShot(TimeSpan dueTime, Action<ITimer> handler)
    {
        ITimer? timer = null;
        timer = _time.CreateTimer(_ => Post(() => handler(timer!)), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        return timer;
    }

    private void CancelReconnect()
    {
        _reconnectTimer?.Dispose();
        _reconnectTimer = null;
        _nextReconnectAt = null;
    }

    private void HandleFirstFreshTick(StreamObserver observer)
    {
        if (observer != _connectionObserver || !_probation)
        {
            return;
        }

        if (_state is FeedState.Simulation or FeedState.Error)
        {
            // Real data beats simulated or none: no hysteresis, and no mixing of real and simulated ticks.
            Promote("stream restored");
            return;
        }

        ArmPromotion(observer);
    }

    private void ArmPromotion(StreamObserver observer)
    {
        var framesAtArm = observer.FrameCounts;
        _promoteTimer?.Dispose();
        _promoteTimer = OneShot(_options.PromoteWindow, HandlePromoteDue);

        void HandlePromoteDue(ITimer firing)
        {
            var candidate = observer;
            if (firing != _promoteTimer || candidate != _connectionObserver || !_probation)
            {
                return;
            }

            _promoteTimer.Dispose();
            _promoteTimer = null;
            var now = _time.GetUtcNow();
            var freshSince = now - TimeSpan.FromTicks(_options.PromoteWindow.Ticks / 2);
            var sessionOpen = AnySessionOpen();
            var fresh = !sessionOpen || (candidate.HasFreshTick && candidate.LastFreshTickAt >= freshSince.UtcTicks);

            // Judged on every frame of the window, however few: the health check waits for MalformedMinFrames
            // before it condemns a stream, and a window can end sooner, but a stream that cannot frame its
            // ticks has not proved itself against a lower tier that works.
            if (fresh && candidate.MalformedShareSince(framesAtArm) <= _options.MaxMalformedRatio)
            {
                Promote($"stream delivered fresh ticks for {_options.PromoteWindow.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s");
            }
            else if (sessionOpen)
            {
                // The restored stream went quiet or sent mostly bad frames: keep polling, wait for fresh ticks again.
                candidate.ResetFresh();
            }
            else
            {
                // Outside every session only the connection can prove itself: another window.
                ArmPromotion(candidate);
            }
        }
    }

    private void Promote(string detail)
    {
        _probation = false;
        _promoteTimer?.Dispose();
        _promoteTimer = null;
        StopPolling();
        StopSimulation();
        var now = _time.GetUtcNow();
        Transition(FeedState.Streaming, DisconnectReason.None, detail);
        _events.Publish(new GapEvent(null, _streamLostAt, now, _coverage));
        _events.Publish(new RecoveredEvent(now - _streamLostAt, _attemptsInRound));
    }

    private void DropConnection()
    {
        _probation = false;
        _promoteTimer?.Dispose();
        _promoteTimer = null;
        var connection = _connection;
        _connection = null;
        _connectionObserver = null;
        _ingest.SetAccepted(_attemptObserver, poll: _pollTimer is not null, simulated: _simulationTimer is not null);
        if (connection is not null)
        {
            Track(DisposeQuietlyAsync(connection));
        }
    }

    private static async Task DisposeQuietlyAsync(IStreamConnection connection)
    {
        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Closing a connection we already condemned: its failure changes nothing.
        }
    }

    private void OnSourceMessage(SourceMessageKind kind, string message, IReadOnlyList<Instruments.Instrument>? instruments)
    {
        instruments ??= [];
        if (kind == SourceMessageKind.Error)
        {
            foreach (var instrument in instruments)
            {
                if ((uint)instrument.Id < (uint)_books.Length && _books[instrument.Id].Instrument == instrument)
                {
                    _books[instrument.Id].SourceError = message;
                }
            }
        }

        Log.SourceMessage(_logger, Name, kind, instruments.Count, message);
        _events.Publish(new SourceMessageEvent(kind, message, instruments));
    }

    private void OnMalformedFrame(string reason)
    {
        Interlocked.Increment(ref _malformedTotal);
        Interlocked.Increment(ref _malformedSinceLog);

        // At most one log line per ten seconds, however fast garbage arrives.
        var now = _time.GetTimestamp();
        var next = Volatile.Read(ref _nextMalformedLog);
        if (now >= next && Interlocked.CompareExchange(ref _nextMalformedLog, now + (_time.TimestampFrequency * 10), next) == next)
        {
            Log.MalformedFrames(_logger, Name, Interlocked.Exchange(ref _malformedSinceLog, 0), reason);
        }
    }
}
