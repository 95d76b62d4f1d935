using System.Text.Json.Serialization;
using FeedGuard.Ticks;

namespace FeedGuard.Status;

/// <summary>Freshness of one instrument.</summary>
public sealed record InstrumentStatus
{
    /// <summary>The instrument key, <c>EXCHANGE:TOKEN</c>.</summary>
    [JsonPropertyName("instrument")]
    public required string Instrument { get; init; }

    /// <summary>The trading symbol, when configured.</summary>
    [JsonPropertyName("symbol")]
    public string? Symbol { get; init; }

    /// <summary>The last delivered price.</summary>
    [JsonPropertyName("last_price")]
    public decimal? LastPrice { get; init; }

    /// <summary>The tier of the last delivered tick.</summary>
    [JsonPropertyName("source")]
    public TickSource? Source { get; init; }

    /// <summary>Seconds since the last delivered tick.</summary>
    [JsonPropertyName("last_tick_age")]
    public double? LastTickAge { get; init; }

    /// <summary>The exchange time of the last delivered tick.</summary>
    [JsonPropertyName("exchange_time")]
    public DateTimeOffset? ExchangeTime { get; init; }

    /// <summary>True when the exchange is open and no tick came within the heartbeat threshold.</summary>
    [JsonPropertyName("stale")]
    public bool Stale { get; init; }

    /// <summary>Whether the instrument's exchange is in session now.</summary>
    [JsonPropertyName("session_open")]
    public bool SessionOpen { get; init; }

    /// <summary>Repeats and overlaps dropped for this instrument.</summary>
    [JsonPropertyName("duplicates_dropped")]
    public long DuplicatesDropped { get; init; }

    /// <summary>Out-of-order ticks dropped for this instrument.</summary>
    [JsonPropertyName("stale_dropped")]
    public long StaleDropped { get; init; }

    /// <summary>The broker's last error about this instrument on the stream (a refused subscription), if any.</summary>
    [JsonPropertyName("source_error")]
    public string? SourceError { get; init; }

    /// <summary>Why the last poll did not return this instrument, if it did not.</summary>
    [JsonPropertyName("unfetched")]
    public string? Unfetched { get; init; }
}
