using System.Text.Json.Serialization;
using FeedGuard.Sources;

namespace FeedGuard.Status;

/// <summary>A classified failure, for status.</summary>
/// <param name="Reason">The failure class.</param>
/// <param name="Message">Detail for operators, free of secrets.</param>
/// <param name="At">When it happened.</param>
public sealed record FeedError(
    [property: JsonPropertyName("reason")] DisconnectReason Reason,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("at")] DateTimeOffset At);
