using FeedGuard.Nats.Connection;

namespace FeedGuard.Nats.Publishing;

/// <summary>How a <see cref="NatsTickPublisher"/> publishes and the stream it publishes into.</summary>
public sealed record NatsPublisherOptions
{
    /// <summary>Server and credentials.</summary>
    public NatsConnectionSettings Connection { get; init; } = new();

    /// <summary>The JetStream stream, created or updated at start. Default <c>FEEDGUARD_TICKS</c>.</summary>
    public string Stream { get; init; } = TickSubjects.DefaultStream;

    /// <summary>Subjects are <c>&lt;prefix&gt;.&lt;EXCHANGE&gt;.&lt;token&gt;</c>. Default <c>feedguard.ticks</c>.</summary>
    public string SubjectPrefix { get; init; } = TickSubjects.DefaultPrefix;

    /// <summary>
    /// How long JetStream remembers message ids to drop duplicates. Default 2 minutes: longer than any
    /// failover overlap or outage republish the gateway produces within its buffer bound.
    /// </summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the stream keeps ticks. Default 1 day.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(1);

    /// <summary>The stream's size bound in bytes (oldest ticks go first); -1 for none. Default 1 GiB.</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>
    /// Ticks held while NATS is down or slower than the feed. When full the oldest is dropped and
    /// counted as overflowed (so what is republished joins the live ticks without a hole). Default 100,000.
    /// </summary>
    public int BufferCapacity { get; init; } = 100_000;

    /// <summary>Published ticks awaiting JetStream's acknowledgement at once. Default 4,096.</summary>
    public int MaxInFlight { get; init; } = 4_096;

    /// <summary>How long to wait for an acknowledgement before publishing the tick again (same id, so never twice on the stream). Default 5 s.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every problem, each naming its key under <paramref name="prefix"/> (e.g. <c>FeedGuard:Nats:</c>).</summary>
    public IEnumerable<string> Validate(string prefix = "")
    {
        foreach (var problem in Connection.Validate(prefix).Concat(TickSubjects.Problems(prefix, Stream, SubjectPrefix)))
        {
            yield return problem;
        }

        if (DuplicateWindow <= TimeSpan.Zero)
        {
            yield return $"{prefix}DuplicateWindow must be positive (got {DuplicateWindow}).";
        }

        if (MaxAge < TimeSpan.Zero)
        {
            yield return $"{prefix}MaxAge must be zero (unlimited) or positive (got {MaxAge}).";
        }
        else if (MaxAge > TimeSpan.Zero && DuplicateWindow > MaxAge)
        {
            yield return $"{prefix}DuplicateWindow ({DuplicateWindow}) must not exceed {prefix}MaxAge ({MaxAge}).";
        }

        if (MaxBytes is 0 or < -1)
        {
            yield return $"{prefix}MaxBytes must be -1 (unlimited) or positive (got {MaxBytes}).";
        }

        if (BufferCapacity < 1)
        {
            yield return $"{prefix}BufferCapacity must be at least 1 (got {BufferCapacity}).";
        }

        if (MaxInFlight < 1)
        {
            yield return $"{prefix}MaxInFlight must be at least 1 (got {MaxInFlight}).";
        }

        if (AckTimeout <= TimeSpan.Zero)
        {
            yield return $"{prefix}AckTimeout must be positive (got {AckTimeout}).";
        }
    }
}
