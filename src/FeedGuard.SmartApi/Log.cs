using FeedGuard.Sources;
using Microsoft.Extensions.Logging;

namespace FeedGuard.SmartApi;

/// <summary>
/// Every log line the SmartAPI sources write (event ids 2000–2099). Event names are a contract:
/// operators alert on them. Nothing here is per tick, and no message carries a credential.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, EventName = "SmartStreamConnecting", Level = LogLevel.Information,
        Message = "SmartStream: connecting {SocketCount} socket(s) to {Host} for {InstrumentCount} instruments in mode {Mode}")]
    public static partial void Connecting(ILogger logger, int socketCount, string host, int instrumentCount, int mode);

    [LoggerMessage(EventId = 2001, EventName = "SmartStreamSubscribed", Level = LogLevel.Information,
        Message = "SmartStream: socket {Socket} connected and subscribed {Subscriptions} token(s)")]
    public static partial void Subscribed(ILogger logger, int socket, int subscriptions);

    [LoggerMessage(EventId = 2002, EventName = "SmartStreamConnectFailed", Level = LogLevel.Warning,
        Message = "SmartStream: socket {Socket} failed to connect ({Reason}): {Detail}")]
    public static partial void ConnectFailed(ILogger logger, int socket, DisconnectReason reason, string detail);

    [LoggerMessage(EventId = 2003, EventName = "SmartStreamSocketEnded", Level = LogLevel.Warning,
        Message = "SmartStream: socket {Socket} ended ({Reason}): {Detail}")]
    public static partial void SocketEnded(ILogger logger, int socket, DisconnectReason reason, string detail);

    [LoggerMessage(EventId = 2004, EventName = "SmartStreamBrokerError", Level = LogLevel.Error,
        Message = "SmartStream: socket {Socket} broker error {ErrorCode}: {ErrorMessage} ({InstrumentCount} instruments concerned)")]
    public static partial void BrokerError(ILogger logger, int socket, string errorCode, string errorMessage, int instrumentCount);

    [LoggerMessage(EventId = 2020, EventName = "SmartApiPollRequestFailed", Level = LogLevel.Warning,
        Message = "SmartAPI quote request {Batch}/{Batches} failed ({Reason}): {Detail}")]
    public static partial void PollRequestFailed(ILogger logger, int batch, int batches, DisconnectReason reason, string detail);

    [LoggerMessage(EventId = 2021, EventName = "SmartApiPollRateLimited", Level = LogLevel.Warning,
        Message = "SmartAPI quote endpoint is rate limiting; no request before {RetryAfterSeconds} s")]
    public static partial void PollRateLimited(ILogger logger, double retryAfterSeconds);

    [LoggerMessage(EventId = 2022, EventName = "SmartApiPollUnfetched", Level = LogLevel.Debug,
        Message = "SmartAPI quote poll: {Fetched} fetched, {Unfetched} not fetched")]
    public static partial void PollUnfetched(ILogger logger, int fetched, int unfetched);
}
