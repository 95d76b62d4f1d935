using FeedGuard.Emulator.Faults;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Emulator;

/// <summary>Every log line of the emulator. Event ids 3000+ are a contract. Credentials are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, EventName = "EmulatorStarted", Level = LogLevel.Information, Message = "Broker emulator listening on {BaseUrl} (seed {Seed})")]
    public static partial void EmulatorStarted(ILogger logger, string baseUrl, int seed);

    [LoggerMessage(EventId = 3001, EventName = "EmulatorStopped", Level = LogLevel.Information, Message = "Broker emulator stopped")]
    public static partial void EmulatorStopped(ILogger logger);

    [LoggerMessage(EventId = 3002, EventName = "HandshakeRejected", Level = LogLevel.Information, Message = "{Broker} handshake rejected with HTTP {StatusCode}: {Reason}")]
    public static partial void HandshakeRejected(ILogger logger, string broker, int statusCode, string reason);

    [LoggerMessage(EventId = 3003, EventName = "ConnectionOpened", Level = LogLevel.Debug, Message = "{Broker} connection {ConnectionId} opened")]
    public static partial void ConnectionOpened(ILogger logger, string broker, long connectionId);

    [LoggerMessage(EventId = 3004, EventName = "ConnectionClosed", Level = LogLevel.Debug, Message = "{Broker} connection {ConnectionId} closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string broker, long connectionId, string reason);

    [LoggerMessage(EventId = 3005, EventName = "FaultInjected", Level = LogLevel.Information, Message = "Fault {FaultId} {Kind} injected for {DurationSeconds} s (0 = until cleared or one-shot), broker {Broker}")]
    public static partial void FaultInjected(ILogger logger, long faultId, FaultKind kind, double durationSeconds, string broker);

    [LoggerMessage(EventId = 3006, EventName = "FaultCleared", Level = LogLevel.Information, Message = "Fault {FaultId} {Kind} ended: {Reason}")]
    public static partial void FaultCleared(ILogger logger, long faultId, FaultKind kind, string reason);

    [LoggerMessage(EventId = 3007, EventName = "RequestRejected", Level = LogLevel.Debug, Message = "{Broker} connection {ConnectionId} request rejected with {ErrorCode}")]
    public static partial void RequestRejected(ILogger logger, string broker, long connectionId, string errorCode);

    [LoggerMessage(EventId = 3008, EventName = "ScenarioStep", Level = LogLevel.Information, Message = "Scenario {Scenario} step {Step} at +{AtSeconds} s: {Action}")]
    public static partial void ScenarioStep(ILogger logger, string scenario, int step, double atSeconds, string action);

    [LoggerMessage(EventId = 3009, EventName = "MarketPumpFailed", Level = LogLevel.Error, Message = "The market pump failed; prices are frozen")]
    public static partial void MarketPumpFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3010, EventName = "ConnectionFailed", Level = LogLevel.Debug, Message = "{Broker} connection {ConnectionId} failed")]
    public static partial void ConnectionFailed(ILogger logger, string broker, long connectionId, Exception exception);
}
