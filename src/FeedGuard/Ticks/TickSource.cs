using System.Text.Json.Serialization;

namespace FeedGuard.Ticks;

/// <summary>Where a tick came from. Every tick says so; consumers decide how far to trust it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TickSource>))]
public enum TickSource : byte
{
    /// <summary>The broker's streaming feed (WebSocket).</summary>
    [JsonStringEnumMemberName("stream")]
    Stream = 1,

    /// <summary>A REST snapshot taken while the stream was down or on probation.</summary>
    [JsonStringEnumMemberName("poll")]
    Poll = 2,

    /// <summary>A synthetic random walk. Never real market data; only when the operator allows it.</summary>
    [JsonStringEnumMemberName("simulated")]
    Simulated = 3,
}
