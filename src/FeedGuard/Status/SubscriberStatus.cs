using System.Text.Json.Serialization;
using FeedGuard.Buffers;

namespace FeedGuard.Status;

/// <summary>The state of one subscriber's buffer.</summary>
public sealed record SubscriberStatus
{
    /// <summary>The subscriber's name.</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    /// <summary>Its buffer policy.</summary>
    [JsonPropertyName("policy")]
    public BufferPolicy Policy { get; init; }

    /// <summary>Its buffer bound.</summary>
    [JsonPropertyName("capacity")]
    public int Capacity { get; init; }

    /// <summary>Ticks waiting to be read.</summary>
    [JsonPropertyName("buffered")]
    public int Buffered { get; init; }

    /// <summary>Ticks handed to it.</summary>
    [JsonPropertyName("delivered")]
    public long Delivered { get; init; }

    /// <summary>Ticks it lost to its policy.</summary>
    [JsonPropertyName("dropped")]
    public long Dropped { get; init; }

    /// <summary>Calls to an inline subscriber's handler that threw (0 for buffered subscribers).</summary>
    [JsonPropertyName("handler_errors")]
    public long HandlerErrors { get; init; }

    /// <summary>Calls to an inline subscriber's handler slower than its threshold (0 for buffered subscribers).</summary>
    [JsonPropertyName("slow_calls")]
    public long SlowCalls { get; init; }

    /// <summary>Times it fell behind (each slow episode; the event log reports them at most once per 10 s).</summary>
    [JsonPropertyName("slow_episodes")]
    public long SlowEpisodes { get; init; }

    /// <summary>True while it is behind.</summary>
    [JsonPropertyName("slow")]
    public bool Slow { get; init; }
}
