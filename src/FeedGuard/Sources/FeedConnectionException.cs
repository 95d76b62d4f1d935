namespace FeedGuard.Sources;

/// <summary>
/// A classified failure from a source: the <see cref="Reason"/> decides how the supervisor
/// recovers. Messages must never contain credentials.
/// </summary>
public sealed class FeedConnectionException : Exception
{
    /// <summary>Creates an exception with a reason and an operator-readable message.</summary>
    public FeedConnectionException(DisconnectReason reason, string message, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates a network-error exception (for serializers and analyzers).</summary>
    public FeedConnectionException()
        : this(DisconnectReason.NetworkError, "Feed connection failed.")
    {
    }

    /// <summary>Creates a network-error exception with a message.</summary>
    public FeedConnectionException(string message)
        : this(DisconnectReason.NetworkError, message)
    {
    }

    /// <summary>Creates a network-error exception with a message and cause.</summary>
    public FeedConnectionException(string message, Exception innerException)
        : this(DisconnectReason.NetworkError, message, null, innerException)
    {
    }

    /// <summary>The failure class.</summary>
    public DisconnectReason Reason { get; }

    /// <summary>How long the broker asked us to wait, when it said (Retry-After).</summary>
    public TimeSpan? RetryAfter { get; }
}
