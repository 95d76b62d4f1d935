using System.Globalization;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard;

// The polling tier: one poll in flight at a time, every PollInterval, from the moment the stream
// fails until it is promoted back; rate-limit pauses; escalation when polling fails too.
public sealed partial class MarketFeed
{
    private ITimer? _pollTimer;
    private int _pollGeneration;
    private bool _pollInFlight;
    private int _pollFailures;
    private DateTimeOffset _pollPausedUntil;

    // PollTimeout plus the time the broker's rate limit makes one poll of our instruments take.
    private readonly TimeSpan _pollTimeout;

    private void EnterPolling(DisconnectReason reason, string detail)
    {
        StartPolling();
        Transition(FeedState.Polling, reason, detail);
    }

    private void StartPolling()
    {
        if (_pollingSource is null || _pollTimer is not null)
        {
            return;
        }

        _pollGeneration++;
        _pollFailures = 0;
        _ingest.SetAccepted(_connectionObserver ?? _attemptObserver, poll: true, simulated: _simulationTimer is not null);
        var generation = _pollGeneration;

        // Due at once: the switch to polling must not wait an interval.
        _pollTimer = _time.CreateTimer(_ => Post(() => HandlePollDue(generation)), null, TimeSpan.Zero, _options.PollInterval);
    }

    private void StopPolling()
    {
        if (_pollTimer is null)
        {
            return;
        }

        _pollTimer.Dispose();
        _pollTimer = null;
        _pollGeneration++;
        _pollInFlight = false;
        _ingest.SetAccepted(_connectionObserver ?? _attemptObserver, poll: false, simulated: _simulationTimer is not null);
    }

    private void HandlePollDue(int generation)
    {
        if (generation != _pollGeneration || _pollInFlight || _authBlocked || _time.GetUtcNow() < _pollPausedUntil)
        {
            return;
        }

        _pollInFlight = true;
        Track(PollOnceAsync(generation));
    }

    private async Task PollOnceAsync(int generation)
    {
        PollResult result;
        using (var timeout = new CancellationTokenSource(_pollTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _lifetime.Token))
        {
            try
            {
                result = await _pollingSource!.PollAsync(_request, linked.Token).ConfigureAwait(false);
                var ticks = result.Ticks as Tick[] ?? [.. result.Ticks];
                await _ingest.IngestAsync(ticks, TickSource.Poll, null, _time.GetTimestamp(), _lifetime.Token).ConfigureAwait(false);
            }
            catch (FeedConnectionException ex)
            {
                Post(() => HandlePollFailed(generation, ex.Reason, ex.Message, ex.RetryAfter));
                return;
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                var seconds = _pollTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
                Post(() => HandlePollFailed(generation, DisconnectReason.NetworkError, $"poll timed out after {seconds} s", null));
                return;
            }
            catch (Exception ex)
            {
                Post(() => HandlePollFailed(generation, DisconnectReason.NetworkError, $"{ex.GetType().Name}: {ex.Message}", null));
                return;
            }
        }

        Post(() => HandlePollSucceeded(generation, result));
    }

    private void HandlePollSucceeded(int generation, PollResult result)
    {
        if (generation != _pollGeneration)
        {
            return;
        }

        _pollInFlight = false;
        _pollFailures = 0;
        foreach (var book in _books)
        {
            book.Unfetched = null;
        }

        foreach (var miss in result.Unfetched)
        {
            if ((uint)miss.Instrument.Id < (uint)_books.Length && _books[miss.Instrument.Id].Instrument == miss.Instrument)
            {
                _books[miss.Instrument.Id].Unfetched = miss.Message;
            }
        }

        _coverage |= GapCoverage.Poll;
        if (_state is FeedState.Simulation or FeedState.Error)
        {
            StopSimulation();
            Transition(FeedState.Polling, DisconnectReason.None, "polling works again");
        }
    }

    private void HandlePollFailed(int generation, DisconnectReason reason, string message, TimeSpan? retryAfter)
    {
        if (generation != _pollGeneration)
        {
            return;
        }

        _pollInFlight = false;
        _pollFailures++;
        Log.PollFailed(_logger, Name, reason, _pollFailures, message);
        RecordError(reason, "poll: " + message);
        if (reason == DisconnectReason.AuthRejected)
        {
            EnterAuthError("poll: " + message);
            return;
        }

        if (reason == DisconnectReason.RateLimited)
        {
            // The source's wait when it names one (the broker's Retry-After, or its pacer's escalating
            // cooldown, which refuses to send before then anyway); ours only for a source that names none.
            var pause = retryAfter is { } named && named > TimeSpan.Zero ? named : _options.PollRateLimitCooldown;
            _pollPausedUntil = _time.GetUtcNow() + pause;
        }

        if (_pollFailures >= _options.PollFailureThreshold && _state == FeedState.Polling)
        {
            if (_probation && _connectionObserver is { HasFreshTick: true })
            {
                // The restored stream is already delivering: it is the best tier left, not simulation.
                Promote("polling failed while the restored stream delivers; switching to the stream");
                return;
            }

            var detail = $"polling failed {_pollFailures} times in a row: {message}";
            if (_options.AllowSimulation)
            {
                EnterSimulation(reason, detail);
            }
            else
            {
                Transition(FeedState.Error, reason, detail);
            }
        }
    }
}
