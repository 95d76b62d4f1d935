using FeedGuard.Failover;
using FeedGuard.Sources;

namespace FeedGuard;

// Auth rejection: everything that would hit the broker with the same credentials stops, and stays
// stopped until the credentials provider (asked every CredentialsRetryInterval) or the host says
// they changed. Retrying rejected credentials only gets an account locked.
public sealed partial class MarketFeed
{
    private bool _authBlocked;
    private ITimer? _credentialsTimer;
    private bool _refreshInFlight;

    private void EnterAuthError(string message)
    {
        _authBlocked = true;
        CancelReconnect();
        StopPolling();
        StopSimulation();
        _attemptObserver = null;
        DropConnection();
        Log.AuthRejected(_logger, Name, message);
        RecordError(DisconnectReason.AuthRejected, message);
        Transition(FeedState.Error, DisconnectReason.AuthRejected, message);
        if (_credentialsProvider is not null && _credentialsTimer is null)
        {
            _credentialsTimer = _time.CreateTimer(_ => Post(HandleCredentialsRefreshDue), null, TimeSpan.Zero, _options.CredentialsRetryInterval);
        }
    }

    private void HandleCredentialsRefreshDue()
    {
        if (!_authBlocked || _refreshInFlight || _stopped)
        {
            return;
        }

        _refreshInFlight = true;
        Track(RefreshCredentialsAsync());
    }

    private async Task RefreshCredentialsAsync()
    {
        var changed = false;
        try
        {
            changed = await _credentialsProvider!.TryRefreshAsync(_lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex)
        {
            Log.CredentialsRefreshFailed(_logger, Name, $"{ex.GetType().Name}: {ex.Message}");
        }

        Post(() =>
        {
            _refreshInFlight = false;
            if (changed)
            {
                HandleCredentialsChanged();
            }
        });
    }

    private void HandleCredentialsChanged()
    {
        if (!_authBlocked || _stopped)
        {
            return;
        }

        _authBlocked = false;
        StopCredentialsRefresh();
        Log.CredentialsChanged(_logger, Name);
        _attemptsInRound = 1;
        _reconnectsTotal++;
        if (_pollingSource is not null)
        {
            EnterPolling(DisconnectReason.None, "credentials changed; polling while the stream reconnects");
        }

        StartConnectAttempt();
    }

    private void StopCredentialsRefresh()
    {
        _credentialsTimer?.Dispose();
        _credentialsTimer = null;
    }
}
