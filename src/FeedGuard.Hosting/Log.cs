using Microsoft.Extensions.Logging;

namespace FeedGuard.Hosting;

/// <summary>Every log line of the hosting package (event ids 4000–4099). No message carries a credential.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, EventName = "GatewayStarting", Level = LogLevel.Information,
        Message = "FeedGuard starting: broker {Broker}, {InstrumentCount} instruments, feed mode {FeedMode}, demo {Demo}")]
    public static partial void GatewayStarting(ILogger logger, FeedGuardBroker broker, int instrumentCount, Ticks.FeedMode feedMode, bool demo);

    [LoggerMessage(EventId = 4001, EventName = "DemoMode", Level = LogLevel.Warning,
        Message = "Demo mode: prices come from the built-in broker emulator at {EmulatorUrl}, not from a real exchange")]
    public static partial void DemoMode(ILogger logger, string emulatorUrl);

    [LoggerMessage(EventId = 4002, EventName = "GatewayStopped", Level = LogLevel.Information,
        Message = "FeedGuard stopped")]
    public static partial void GatewayStopped(ILogger logger);
}
