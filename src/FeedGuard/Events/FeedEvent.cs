using System.Text.Json.Serialization;
using FeedGuard.Buffers;
using FeedGuard.Failover;
using FeedGuard.Instruments;
using FeedGuard.Reconnect;
using FeedGuard.Sources;

namespace FeedGuard.Events;

/// <summary>
/// Something that happened to the feed. Events are numbered in the order they happened and reach
/// readers through their own bounded buffers, never on the socket's receive loop.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ModeChangedEvent), "mode_changed")]
[JsonDerivedType(typeof(ReconnectAttemptEvent), "reconnect_attempt")]
[JsonDerivedType(typeof(GapEvent), "gap")]
[JsonDerivedType(typeof(RecoveredEvent), "recovered")]
[JsonDerivedType(typeof(SlowConsumerEvent), "slow_consumer")]
[JsonDerivedType(typeof(InstrumentStaleEvent), "instrument_stale")]
[JsonDerivedType(typeof(SourceMessageEvent), "source_message")]
public abstract record FeedEvent
{
    /// <summary>Position in the feed's event order, from 1.</summary>
    public long Sequence { get; internal set; }

    /// <summary>When it happened (injected clock).</summary>
    public DateTimeOffset Timestamp { get; internal set; }

    /// <summary>A one-line description for logs and dashboards, free of secrets.</summary>
    public string Description => Describe();

    /// <summary>A one-line description for logs and dashboards, free of secrets.</summary>
    public abstract string Describe();
}

/// <summary>The supervisor changed state.</summary>
/// <param name="From">The old state.</param>
/// <param name="To">The new state.</param>
/// <param name="Reason">The failure class that caused it, or <see cref="DisconnectReason.None"/> for a recovery or a stop.</param>
/// <param name="Message">Detail for operators.</param>
public sealed record ModeChangedEvent(FeedState From, FeedState To, DisconnectReason Reason, string Message) : FeedEvent
{
    /// <inheritdoc />
    public override string Describe() => $"{From} -> {To} ({Reason}): {Message}";
}

/// <summary>A reconnect attempt was scheduled.</summary>
/// <param name="Attempt">Attempt number within its round, from 1.</param>
/// <param name="Delay">The wait before it.</param>
/// <param name="Kind">Backoff inside a round, or a cooldown that starts a new round.</param>
/// <param name="DueAt">When it will run.</param>
public sealed record ReconnectAttemptEvent(int Attempt, TimeSpan Delay, ReconnectStepKind Kind, DateTimeOffset DueAt) : FeedEvent
{
    /// <inheritdoc />
    public override string Describe() => $"reconnect attempt {Attempt} in {Delay.TotalSeconds:0.###} s ({Kind})";
}

/// <summary>
/// A stretch of time an instrument (or, when <see cref="Instrument"/> is null, every instrument) was
/// not served by the stream.
/// </summary>
/// <param name="Instrument">The instrument, or null for the whole feed.</param>
/// <param name="From">Start of the gap.</param>
/// <param name="To">End of the gap.</param>
/// <param name="CoveredBy">Which lower tiers delivered data meanwhile.</param>
public sealed record GapEvent(Instrument? Instrument, DateTimeOffset From, DateTimeOffset To, GapCoverage CoveredBy) : FeedEvent
{
    /// <inheritdoc />
    public override string Describe() =>
        $"gap {(Instrument?.Name ?? "all instruments")} {From:O} .. {To:O} ({(To - From).TotalSeconds:0.###} s) covered by {CoveredBy}";
}

/// <summary>The stream is serving data again after a failure.</summary>
/// <param name="Downtime">How long the stream was not serving.</param>
/// <param name="Attempts">Reconnect attempts it took in the last round.</param>
public sealed record RecoveredEvent(TimeSpan Downtime, int Attempts) : FeedEvent
{
    /// <inheritdoc />
    public override string Describe() => $"stream recovered after {Downtime.TotalSeconds:0.###} s ({Attempts} attempts)";
}

/// <summary>
/// A subscriber fell behind. An episode lasts until it drains its buffer (or, inline, until a call is
/// quick again); episodes are reported at most once per subscriber every 10 s, and
/// <see cref="Episodes"/> says how many this report covers.
/// </summary>
/// <param name="Subscriber">Its name.</param>
/// <param name="Policy">Its buffer policy.</param>
/// <param name="Capacity">Its buffer bound.</param>
public sealed record SlowConsumerEvent(string Subscriber, BufferPolicy Policy, int Capacity) : FeedEvent
{
    /// <summary>The episode that started now and those that started since the previous report (at least 1).</summary>
    public long Episodes { get; init; } = 1;

    /// <inheritdoc />
    public override string Describe() => Episodes == 1
        ? $"slow consumer '{Subscriber}' ({Policy}, capacity {Capacity})"
        : $"slow consumer '{Subscriber}' ({Policy}, capacity {Capacity}), {Episodes} episodes since the last report";
}

/// <summary>An instrument's exchange is open but no tick came within the heartbeat threshold.</summary>
/// <param name="Instrument">The instrument.</param>
/// <param name="LastTickAt">Its last tick, or null when it never had one.</param>
public sealed record InstrumentStaleEvent(Instrument Instrument, DateTimeOffset? LastTickAt) : FeedEvent
{
    /// <inheritdoc />
    public override string Describe() => $"{Instrument.Name} stale (last tick {LastTickAt?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never"})";
}

/// <summary>A broker message in words: a subscription error, a notice, an order postback.</summary>
/// <param name="Kind">Error, notice or order update.</param>
/// <param name="Message">The broker's text, free of credentials.</param>
/// <param name="Instruments">The instruments it concerns, when the broker said.</param>
public sealed record SourceMessageEvent(SourceMessageKind Kind, string Message, IReadOnlyList<Instrument> Instruments) : FeedEvent
{
    /// <inheritdoc />
    public override string Describe() =>
        Instruments.Count == 0 ? $"{Kind}: {Message}" : $"{Kind} for {string.Join(", ", Instruments.Select(i => i.Name))}: {Message}";
}
