using System.Text.Json.Serialization;

namespace FeedGuard.Failover;

/// <summary>The supervisor's state (the seed's <c>status</c> field).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FeedState>))]
public enum FeedState
{
    /// <summary>Connecting to the stream for the first time.</summary>
    [JsonStringEnumMemberName("connecting")]
    Connecting = 0,

    /// <summary>The stream serves data.</summary>
    [JsonStringEnumMemberName("streaming")]
    Streaming = 1,

    /// <summary>REST polling serves data while the stream reconnects in the background.</summary>
    [JsonStringEnumMemberName("polling")]
    Polling = 2,

    /// <summary>Simulated ticks (never real data; only when allowed) while nothing real works.</summary>
    [JsonStringEnumMemberName("simulation")]
    Simulation = 3,

    /// <summary>No tier serves data; see <c>last_error</c>. Reconnects continue unless the credentials were rejected.</summary>
    [JsonStringEnumMemberName("error")]
    Error = 4,

    /// <summary>Stopped on request.</summary>
    [JsonStringEnumMemberName("stopped")]
    Stopped = 5,
}
