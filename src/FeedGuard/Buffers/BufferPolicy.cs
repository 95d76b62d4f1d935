using System.Text.Json.Serialization;

namespace FeedGuard.Buffers;

/// <summary>What a subscriber's bounded buffer does when the subscriber falls behind.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<BufferPolicy>))]
public enum BufferPolicy
{
    /// <summary>
    /// Keep only the newest tick per instrument (conflation): for dashboards and quote consumers that
    /// want the current price, not the history. Memory is bounded by the number of instruments.
    /// Every overwritten tick counts as a drop.
    /// </summary>
    [JsonStringEnumMemberName("latest_per_instrument")]
    LatestPerInstrument = 0,

    /// <summary>Keep the newest <c>Capacity</c> ticks; the oldest is dropped and counted when full.</summary>
    [JsonStringEnumMemberName("drop_oldest")]
    DropOldest = 1,

    /// <summary>
    /// Lossless: when full, the feed waits for this subscriber (back-pressure towards the socket).
    /// For recorders. A subscriber that stays full stalls every consumer, so it is reported as slow.
    /// </summary>
    [JsonStringEnumMemberName("wait")]
    Wait = 2,

    /// <summary>
    /// No buffer: the subscriber's handler runs on the feed's ingest path with the delivered ticks of every batch
    /// (<see cref="MarketFeed.SubscribeInline"/>). No hand-off, so no added latency; a handler that is
    /// slow delays every consumer and the socket behind it, so it is reported as slow. Not a policy a
    /// <see cref="SubscriptionOptions"/> can ask for: it needs a handler.
    /// </summary>
    [JsonStringEnumMemberName("inline")]
    Inline = 3,
}
