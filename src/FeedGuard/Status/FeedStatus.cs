using System.Text.Json.Serialization;
using FeedGuard.Failover;

namespace FeedGuard.Status;

/// <summary>
/// An immutable snapshot of where the data comes from and how fresh it is. Serialises with the
/// original requirements' field names first (<c>mode</c>, <c>status</c>, <c>last_tick_age</c>,
/// <c>reconnect_attempts</c>, <c>connection_active</c>), so existing dashboards keep working.
/// </summary>
public sealed record FeedStatus
{
    /// <summary>The tier serving data: streaming, polling or simulation.</summary>
    [JsonPropertyName("mode")]
    [JsonPropertyOrder(0)]
    public required DataTier Mode { get; init; }

    /// <summary>The supervisor's state: connecting, streaming, polling, error, simulation or stopped.</summary>
    [JsonPropertyName("status")]
    [JsonPropertyOrder(1)]
    public required FeedState Status { get; init; }

    /// <summary>Seconds since the last delivered tick from any tier; null before the first.</summary>
    [JsonPropertyName("last_tick_age")]
    [JsonPropertyOrder(2)]
    public double? LastTickAge { get; init; }

    /// <summary>Reconnect attempts made in the current round (reset after the stability window).</summary>
    [JsonPropertyName("reconnect_attempts")]
    [JsonPropertyOrder(3)]
    public int ReconnectAttempts { get; init; }

    /// <summary>True while a stream connection is open (streaming, or restored and on probation).</summary>
    [JsonPropertyName("connection_active")]
    [JsonPropertyOrder(4)]
    public bool ConnectionActive { get; init; }

    /// <summary>The feed's name.</summary>
    [JsonPropertyName("name")]
    [JsonPropertyOrder(5)]
    public required string Name { get; init; }

    /// <summary>When the current state began.</summary>
    [JsonPropertyName("since")]
    [JsonPropertyOrder(6)]
    public DateTimeOffset Since { get; init; }

    /// <summary>
    /// Why the feed entered its current state (the failure that caused a failover, or the recovery).
    /// Unlike <see cref="LastError"/>, later failures (a reconnect attempt failing meanwhile) do not replace it.
    /// </summary>
    [JsonPropertyName("status_reason")]
    [JsonPropertyOrder(6)]
    public FeedError? StatusReason { get; init; }

    /// <summary>When this snapshot was taken.</summary>
    [JsonPropertyName("as_of")]
    [JsonPropertyOrder(7)]
    public DateTimeOffset AsOf { get; init; }

    /// <summary>The most recent failure, if any.</summary>
    [JsonPropertyName("last_error")]
    [JsonPropertyOrder(8)]
    public FeedError? LastError { get; init; }

    /// <summary>When the next reconnect attempt is due, if one is scheduled.</summary>
    [JsonPropertyName("next_reconnect_at")]
    [JsonPropertyOrder(9)]
    public DateTimeOffset? NextReconnectAt { get; init; }

    /// <summary>True while reconnects are stopped because the credentials were rejected.</summary>
    [JsonPropertyName("auth_blocked")]
    [JsonPropertyOrder(10)]
    public bool AuthBlocked { get; init; }

    /// <summary>Whether the operator allows simulated ticks.</summary>
    [JsonPropertyName("simulation_allowed")]
    [JsonPropertyOrder(11)]
    public bool SimulationAllowed { get; init; }

    /// <summary>Tick and frame counts since start.</summary>
    [JsonPropertyName("counters")]
    [JsonPropertyOrder(12)]
    public required FeedCounters Counters { get; init; }

    /// <summary>Freshness per instrument.</summary>
    [JsonPropertyName("instruments")]
    [JsonPropertyOrder(13)]
    public required IReadOnlyList<InstrumentStatus> Instruments { get; init; }

    /// <summary>Buffer state per subscriber.</summary>
    [JsonPropertyName("subscribers")]
    [JsonPropertyOrder(14)]
    public required IReadOnlyList<SubscriberStatus> Subscribers { get; init; }
}
