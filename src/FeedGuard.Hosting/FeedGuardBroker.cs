namespace FeedGuard.Hosting;

/// <summary>Which broker a gateway talks to (configuration key <c>FeedGuard:Broker</c>).</summary>
public enum FeedGuardBroker
{
    /// <summary>
    /// The built-in broker emulator: the SmartAPI client against the emulator's URLs with its demo
    /// credentials. Prices are not real. Started in-process on loopback unless
    /// <c>FeedGuard:Emulator:Url</c> names a running one.
    /// </summary>
    Emulator = 1,

    /// <summary>Angel One SmartAPI (SmartStream WebSocket, REST quote polling).</summary>
    SmartApi = 2,

    /// <summary>
    /// Zerodha Kite Connect (ticker WebSocket, REST quote polling). Without <c>FeedGuard:Kite:ApiKey</c>
    /// and <c>AccessToken</c> it runs in demo mode: the Kite client against the emulator's Kite endpoint.
    /// </summary>
    Kite = 3,
}
