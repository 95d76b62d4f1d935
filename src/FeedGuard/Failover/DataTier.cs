using System.Text.Json.Serialization;

namespace FeedGuard.Failover;

/// <summary>Which tier serves data (the seed's <c>mode</c> field).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataTier>))]
public enum DataTier
{
    /// <summary>The broker's stream (also while first connecting).</summary>
    [JsonStringEnumMemberName("streaming")]
    Streaming = 0,

    /// <summary>REST polling.</summary>
    [JsonStringEnumMemberName("polling")]
    Polling = 1,

    /// <summary>Simulated ticks.</summary>
    [JsonStringEnumMemberName("simulation")]
    Simulation = 2,
}
