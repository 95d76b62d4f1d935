using Microsoft.Extensions.Logging;

namespace FeedGuard.Nats;

/// <summary>Every log line of the NATS package (event ids 7000–7099). No message carries a credential.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 7000, EventName = "NatsPublisherStarting", Level = LogLevel.Information,
        Message = "NATS publisher starting: {Url}, stream {Stream}, subjects {Subjects}")]
    public static partial void PublisherStarting(ILogger logger, string url, string stream, string subjects);

    [LoggerMessage(EventId = 7001, EventName = "NatsPublisherConnected", Level = LogLevel.Information,
        Message = "NATS publisher connected to {Url}; stream {Stream} ready (max age {MaxAge}, max bytes {MaxBytes}, duplicate window {DuplicateWindow}); {Buffered} buffered ticks to publish")]
    public static partial void PublisherConnected(ILogger logger, string url, string stream, TimeSpan maxAge, long maxBytes, TimeSpan duplicateWindow, int buffered);

    [LoggerMessage(EventId = 7002, EventName = "NatsPublisherDisconnected", Level = LogLevel.Warning,
        Message = "NATS publisher lost {Url}: {Reason}; the gateway keeps serving in-process consumers and buffers up to {Capacity} ticks")]
    public static partial void PublisherDisconnected(ILogger logger, string url, string reason, int capacity);

    [LoggerMessage(EventId = 7003, EventName = "NatsStreamSetupFailed", Level = LogLevel.Warning,
        Message = "NATS stream {Stream} could not be created or checked: {Reason}; retrying")]
    public static partial void StreamSetupFailed(ILogger logger, string stream, string reason);

    [LoggerMessage(EventId = 7004, EventName = "NatsPublisherOverflowing", Level = LogLevel.Warning,
        Message = "NATS publisher buffer full ({Capacity} ticks): dropping the oldest until NATS catches up")]
    public static partial void Overflowing(ILogger logger, int capacity);

    [LoggerMessage(EventId = 7005, EventName = "NatsPublisherCaughtUp", Level = LogLevel.Information,
        Message = "NATS publisher caught up; {Overflowed} ticks overflowed in that episode")]
    public static partial void CaughtUp(ILogger logger, long overflowed);

    [LoggerMessage(EventId = 7006, EventName = "NatsPublishFailed", Level = LogLevel.Warning,
        Message = "NATS publish failed: {Reason}; {Count} ticks will be published again")]
    public static partial void PublishFailed(ILogger logger, string reason, int count);

    [LoggerMessage(EventId = 7007, EventName = "NatsPublisherStopped", Level = LogLevel.Information,
        Message = "NATS publisher stopped: {Published} published, {Duplicates} duplicates, {Errors} errors, {Overflowed} overflowed, {Unpublished} unpublished")]
    public static partial void PublisherStopped(ILogger logger, long published, long duplicates, long errors, long overflowed, int unpublished);

    [LoggerMessage(EventId = 7010, EventName = "NatsConsumerMalformed", Level = LogLevel.Warning,
        Message = "NATS consumer skipped a malformed message on {Subject}: {Reason} ({Count} so far)")]
    public static partial void ConsumerMalformed(ILogger logger, string subject, string reason, long count);
}
