using System.Text.Json.Serialization;

namespace FeedGuard.Sources;

/// <summary>What kind of message a broker sent in words.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SourceMessageKind>))]
public enum SourceMessageKind
{
    /// <summary>A request failed (for example a subscription was refused).</summary>
    [JsonStringEnumMemberName("error")]
    Error = 0,

    /// <summary>A notice from the broker.</summary>
    [JsonStringEnumMemberName("notice")]
    Notice = 1,

    /// <summary>An order update pushed on the market-data socket (Kite postbacks).</summary>
    [JsonStringEnumMemberName("order_update")]
    OrderUpdate = 2,
}
