using FeedGuard.Failover;
using FeedGuard.Sources;
using Microsoft.Extensions.Logging;

namespace FeedGuard;

/// <summary>
/// Every log line the core writes. Event ids and names are a contract: operators alert on them.
/// Nothing here is per tick, and no message carries a credential.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, EventName = "FeedStateChanged", Level = LogLevel.Warning,
        Message = "Feed {Feed}: {OldState} -> {NewState} ({Reason}): {Detail}")]
    public static partial void StateChanged(ILogger logger, string feed, FeedState oldState, FeedState newState, DisconnectReason reason, string detail);

    [LoggerMessage(EventId = 1001, EventName = "FeedRecovered", Level = LogLevel.Information,
        Message = "Feed {Feed}: {OldState} -> {NewState}: {Detail}")]
    public static partial void Recovered(ILogger logger, string feed, FeedState oldState, FeedState newState, string detail);

    [LoggerMessage(EventId = 1002, EventName = "FeedStarted", Level = LogLevel.Information,
        Message = "Feed {Feed}: starting with {InstrumentCount} instruments in {Mode} mode, stream {Stream}, polling {Poll}, simulation {Simulation}")]
    public static partial void Started(ILogger logger, string feed, int instrumentCount, Ticks.FeedMode mode, string stream, string poll, string simulation);

    [LoggerMessage(EventId = 1010, EventName = "StreamConnected", Level = LogLevel.Information,
        Message = "Feed {Feed}: stream connected and subscribed ({Role})")]
    public static partial void StreamConnected(ILogger logger, string feed, string role);

    [LoggerMessage(EventId = 1011, EventName = "StreamFailed", Level = LogLevel.Warning,
        Message = "Feed {Feed}: stream failed ({Reason}): {Detail}")]
    public static partial void StreamFailed(ILogger logger, string feed, DisconnectReason reason, string detail);

    [LoggerMessage(EventId = 1012, EventName = "ReconnectScheduled", Level = LogLevel.Information,
        Message = "Feed {Feed}: reconnect attempt {Attempt} in {DelayMs} ms ({Kind})")]
    public static partial void ReconnectScheduled(ILogger logger, string feed, int attempt, long delayMs, Reconnect.ReconnectStepKind kind);

    [LoggerMessage(EventId = 1013, EventName = "AttemptCounterReset", Level = LogLevel.Debug,
        Message = "Feed {Feed}: stream stable for {StableSeconds} s, reconnect attempts reset")]
    public static partial void AttemptCounterReset(ILogger logger, string feed, double stableSeconds);

    [LoggerMessage(EventId = 1020, EventName = "PollFailed", Level = LogLevel.Warning,
        Message = "Feed {Feed}: poll failed ({Reason}), {Failures} in a row: {Detail}")]
    public static partial void PollFailed(ILogger logger, string feed, DisconnectReason reason, int failures, string detail);

    [LoggerMessage(EventId = 1030, EventName = "SimulationStarted", Level = LogLevel.Critical,
        Message = "Feed {Feed}: SIMULATED ticks are being delivered; they are not market data")]
    public static partial void SimulationStarted(ILogger logger, string feed);

    [LoggerMessage(EventId = 1040, EventName = "AuthRejected", Level = LogLevel.Error,
        Message = "Feed {Feed}: credentials rejected; reconnects stop until they change: {Detail}")]
    public static partial void AuthRejected(ILogger logger, string feed, string detail);

    [LoggerMessage(EventId = 1041, EventName = "CredentialsChanged", Level = LogLevel.Information,
        Message = "Feed {Feed}: new credentials; reconnecting")]
    public static partial void CredentialsChanged(ILogger logger, string feed);

    [LoggerMessage(EventId = 1042, EventName = "CredentialsRefreshFailed", Level = LogLevel.Warning,
        Message = "Feed {Feed}: the credentials provider failed: {Detail}")]
    public static partial void CredentialsRefreshFailed(ILogger logger, string feed, string detail);

    [LoggerMessage(EventId = 1050, EventName = "MalformedFrames", Level = LogLevel.Warning,
        Message = "Feed {Feed}: {Count} malformed frames skipped since the last report; latest: {Detail}")]
    public static partial void MalformedFrames(ILogger logger, string feed, long count, string detail);

    [LoggerMessage(EventId = 1051, EventName = "SourceMessage", Level = LogLevel.Warning,
        Message = "Feed {Feed}: broker {Kind} ({InstrumentCount} instruments): {Detail}")]
    public static partial void SourceMessage(ILogger logger, string feed, SourceMessageKind kind, int instrumentCount, string detail);

    [LoggerMessage(EventId = 1060, EventName = "SlowConsumer", Level = LogLevel.Warning,
        Message = "Feed {Feed}: subscriber {Subscriber} ({Policy}, capacity {Capacity}) is falling behind ({Episodes} slow episodes since the last report)")]
    public static partial void SlowConsumer(ILogger logger, string feed, string subscriber, Buffers.BufferPolicy policy, int capacity, long episodes);

    [LoggerMessage(EventId = 1061, EventName = "InstrumentStale", Level = LogLevel.Information,
        Message = "Feed {Feed}: {Instrument} has had no tick for {Seconds} s while its exchange is open")]
    public static partial void InstrumentStale(ILogger logger, string feed, string instrument, double seconds);

    [LoggerMessage(EventId = 1062, EventName = "SlowInlineHandler", Level = LogLevel.Warning,
        Message = "Feed {Feed}: inline subscriber {Subscriber} took longer than its slow-call threshold ({Episodes} slow episodes since the last report); every consumer and the socket wait while it runs")]
    public static partial void SlowInlineHandler(ILogger logger, string feed, string subscriber, long episodes);

    [LoggerMessage(EventId = 1063, EventName = "InlineHandlerFailed", Level = LogLevel.Error,
        Message = "Feed {Feed}: inline subscriber {Subscriber}'s handler threw ({Errors} failures so far); the feed goes on with the next batch")]
    public static partial void InlineHandlerFailed(ILogger logger, string feed, string subscriber, long errors, Exception exception);

    [LoggerMessage(EventId = 1064, EventName = "IngestHeldBySubscriber", Level = LogLevel.Warning,
        Message = "Feed {Feed}: every tier has waited {Seconds} s for subscriber {Subscriber} ({Policy}) to take a batch; the stream's silence meanwhile is not held against it, and no reconnect or failover could deliver sooner")]
    public static partial void IngestHeldBySubscriber(ILogger logger, string feed, string subscriber, Buffers.BufferPolicy policy, double seconds);

    [LoggerMessage(EventId = 1090, EventName = "SupervisorError", Level = LogLevel.Error,
        Message = "Feed {Feed}: unexpected error in the supervisor; continuing")]
    public static partial void SupervisorError(ILogger logger, string feed, Exception exception);
}
