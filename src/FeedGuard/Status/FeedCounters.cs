using System.Text.Json.Serialization;

namespace FeedGuard.Status;

/// <summary>Counts since the feed started. Per tick: received = delivered + every dropped kind.</summary>
public sealed record FeedCounters
{
    /// <summary>Ticks received from every tier.</summary>
    [JsonPropertyName("received")]
    public long Received { get; init; }

    /// <summary>Ticks received from the stream.</summary>
    [JsonPropertyName("received_stream")]
    public long ReceivedStream { get; init; }

    /// <summary>Ticks received from polling.</summary>
    [JsonPropertyName("received_poll")]
    public long ReceivedPoll { get; init; }

    /// <summary>Simulated ticks generated.</summary>
    [JsonPropertyName("received_simulated")]
    public long ReceivedSimulated { get; init; }

    /// <summary>Ticks that passed the integrity gate and went to subscribers.</summary>
    [JsonPropertyName("delivered")]
    public long Delivered { get; init; }

    /// <summary>Repeats and cross-tier overlaps dropped.</summary>
    [JsonPropertyName("duplicates_dropped")]
    public long DuplicatesDropped { get; init; }

    /// <summary>Ticks older than what was already delivered, dropped.</summary>
    [JsonPropertyName("stale_dropped")]
    public long StaleDropped { get; init; }

    /// <summary>Ticks with an exchange time implausibly far in the future, dropped.</summary>
    [JsonPropertyName("implausible_dropped")]
    public long ImplausibleDropped { get; init; }

    /// <summary>Ticks from a tier that was not serving at the time (a late poll after recovery), dropped.</summary>
    [JsonPropertyName("rejected")]
    public long Rejected { get; init; }

    /// <summary>Frames or packets that could not be decoded, skipped.</summary>
    [JsonPropertyName("malformed")]
    public long Malformed { get; init; }

    /// <summary>Reconnect attempts since start.</summary>
    [JsonPropertyName("reconnects")]
    public long Reconnects { get; init; }
}
