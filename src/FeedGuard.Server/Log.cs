using Microsoft.Extensions.Logging;

namespace FeedGuard.Server;

/// <summary>Every log line of the server (event ids 5000–5099). No message carries a credential.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, EventName = "GatewayListening", Level = LogLevel.Information,
        Message = "FeedGuard gateway listening on {Urls}; dashboard {Dashboard}")]
    public static partial void Listening(ILogger logger, string urls, string dashboard);

    [LoggerMessage(EventId = 5001, EventName = "DemoModeChosen", Level = LogLevel.Warning,
        Message = "No broker credentials found (FeedGuard:SmartApi:ApiKey, FeedGuard:Kite:ApiKey): running in demo mode against the built-in emulator")]
    public static partial void DemoModeChosen(ILogger logger);

    [LoggerMessage(EventId = 5002, EventName = "DefaultInstruments", Level = LogLevel.Information,
        Message = "FeedGuard:Instruments not set: serving the default instruments {Instruments}")]
    public static partial void DefaultInstruments(ILogger logger, string instruments);

    [LoggerMessage(EventId = 5003, EventName = "SseClientFailed", Level = LogLevel.Debug,
        Message = "Server-sent events client ended: {Reason}")]
    public static partial void SseClientEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 5004, EventName = "JsonLinesFailed", Level = LogLevel.Error,
        Message = "Writing JSON lines to stdout failed")]
    public static partial void JsonLinesFailed(ILogger logger, Exception exception);
}
