namespace FeedGuard.Nats.Publishing;

/// <summary>A snapshot of the publisher: what an operator needs to see that ticks reach the bus.</summary>
public sealed record NatsPublisherStatus
{
    /// <summary>The server, without credentials.</summary>
    public required string Url { get; init; }

    /// <summary>The JetStream stream.</summary>
    public required string Stream { get; init; }

    /// <summary>True while connected to NATS with the stream in place, so ticks are being published.</summary>
    public bool Connected { get; init; }

    /// <summary>Ticks JetStream stored (acknowledged, not counting duplicates).</summary>
    public long Published { get; init; }

    /// <summary>Ticks JetStream acknowledged as duplicates of one already in the stream (another gateway's copy, a republish).</summary>
    public long Duplicates { get; init; }

    /// <summary>Publishes that failed (error answer, no answer in time, connection lost); each is published again.</summary>
    public long PublishErrors { get; init; }

    /// <summary>Ticks waiting to be published (the outage buffer and ticks to publish again).</summary>
    public int Buffered { get; init; }

    /// <summary>Ticks published and awaiting JetStream's acknowledgement.</summary>
    public int Pending { get; init; }

    /// <summary>The buffer's bound.</summary>
    public int BufferCapacity { get; init; }

    /// <summary>Ticks lost because the buffer was full (the oldest go first). Never silent: counted here and logged once per episode.</summary>
    public long Overflowed { get; init; }

    /// <summary>True while the buffer is overflowing (from its first drop until it has drained to half).</summary>
    public bool Slow { get; init; }

    /// <summary>Age of the oldest tick not yet acknowledged (zero when everything is on the bus).</summary>
    public TimeSpan Lag { get; init; }

    /// <summary>The last publish or connection problem, if any (never holds a credential).</summary>
    public string? LastError { get; init; }

    /// <summary>When <see cref="LastError"/> happened.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }
}
