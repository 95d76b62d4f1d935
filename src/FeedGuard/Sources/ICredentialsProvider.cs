namespace FeedGuard.Sources;

/// <summary>
/// Called by the supervisor after the broker rejected the credentials: reconnects stay stopped until
/// this reports that new credentials are in place (the sources read them on their next connect).
/// </summary>
public interface ICredentialsProvider
{
    /// <summary>Tries to obtain fresh credentials. True when they changed and a reconnect may help.</summary>
    ValueTask<bool> TryRefreshAsync(CancellationToken cancellationToken);
}
