using FeedGuard.Sources;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Kite;

/// <summary>
/// Every log line the Kite sources write (event ids 6000–6099; 4000–4099 belong to the hosting package). Event names are a contract:
/// operators alert on them. Nothing here is per tick, no message carries a credential, and URLs are
/// logged without their query string.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6000, EventName = "KiteTickerConnecting", Level = LogLevel.Information,
        Message = "Kite ticker: connecting {SocketCount} socket(s) to {Url} for {InstrumentCount} instruments in mode {Mode}")]
    public static partial void Connecting(ILogger logger, int socketCount, string url, int instrumentCount, string mode);

    [LoggerMessage(EventId = 6001, EventName = "KiteTickerSubscribed", Level = LogLevel.Information,
        Message = "Kite ticker: socket {Socket} connected and subscribed {Instruments} token(s) in mode {Mode}")]
    public static partial void Subscribed(ILogger logger, int socket, int instruments, string mode);

    [LoggerMessage(EventId = 6002, EventName = "KiteTickerConnectFailed", Level = LogLevel.Warning,
        Message = "Kite ticker: socket {Socket} failed to connect ({Reason}): {Detail}")]
    public static partial void ConnectFailed(ILogger logger, int socket, DisconnectReason reason, string detail);

    [LoggerMessage(EventId = 6003, EventName = "KiteTickerSocketEnded", Level = LogLevel.Warning,
        Message = "Kite ticker: socket {Socket} ended ({Reason}): {Detail}")]
    public static partial void SocketEnded(ILogger logger, int socket, DisconnectReason reason, string detail);

    [LoggerMessage(EventId = 6004, EventName = "KiteTickerBrokerError", Level = LogLevel.Error,
        Message = "Kite ticker: socket {Socket} broker error: {ErrorMessage}")]
    public static partial void BrokerError(ILogger logger, int socket, string errorMessage);

    [LoggerMessage(EventId = 6005, EventName = "KiteTickerBrokerMessage", Level = LogLevel.Information,
        Message = "Kite ticker: socket {Socket} broker message: {Text}")]
    public static partial void BrokerMessage(ILogger logger, int socket, string text);

    [LoggerMessage(EventId = 6006, EventName = "KiteTickerOrderUpdate", Level = LogLevel.Debug,
        Message = "Kite ticker: socket {Socket} order update: {Summary}")]
    public static partial void OrderUpdate(ILogger logger, int socket, string summary);

    [LoggerMessage(EventId = 6020, EventName = "KitePollRequestFailed", Level = LogLevel.Warning,
        Message = "Kite quote request {Batch}/{Batches} failed ({Reason}): {Detail}")]
    public static partial void PollRequestFailed(ILogger logger, int batch, int batches, DisconnectReason reason, string detail);

    [LoggerMessage(EventId = 6021, EventName = "KitePollRateLimited", Level = LogLevel.Warning,
        Message = "Kite quote endpoint is rate limiting; no request before {RetryAfterSeconds} s")]
    public static partial void PollRateLimited(ILogger logger, double retryAfterSeconds);

    [LoggerMessage(EventId = 6022, EventName = "KitePollUnfetched", Level = LogLevel.Debug,
        Message = "Kite quote poll: {Fetched} fetched, {Unfetched} not fetched")]
    public static partial void PollUnfetched(ILogger logger, int fetched, int unfetched);
}
