namespace FeedGuard.Sources;

/// <summary>
/// Reads a source's credentials callback, as every broker source does on each connect and each
/// request so refreshed tokens take effect. A throwing callback is a network error named by the
/// exception's type only (its message could quote a secret); missing credentials are an auth
/// rejection, so the supervisor stops retrying and says which keys to set.
/// </summary>
public static class CredentialsCallback
{
    /// <summary>Calls <paramref name="callback"/> and checks the result.</summary>
    /// <param name="callback">The user's callback.</param>
    /// <param name="broker">How the message names the broker, e.g. <c>Kite</c>.</param>
    /// <param name="isComplete">True when every credential the caller needs is set.</param>
    /// <param name="incomplete">The auth-rejection message when one is missing; should name the keys.</param>
    public static T Read<T>(Func<T> callback, string broker, Func<T, bool> isComplete, string incomplete)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(isComplete);
        T? credentials;
        try
        {
            credentials = callback();
        }
        catch (Exception ex)
        {
            throw new FeedConnectionException(DisconnectReason.NetworkError, $"{broker} credentials callback failed: {ex.GetType().Name}.");
        }

        if (credentials is null || !isComplete(credentials))
        {
            throw new FeedConnectionException(DisconnectReason.AuthRejected, incomplete);
        }

        return credentials;
    }
}
