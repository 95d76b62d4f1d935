namespace FeedGuard.Emulator;

/// <summary>Names of the broker endpoints the emulator serves, used to scope faults (<see cref="Faults.FaultSpec.Broker"/>).</summary>
public static class EmulatorBrokers
{
    /// <summary>Angel One SmartAPI: SmartStream WebSocket and the REST quote endpoints.</summary>
    public const string SmartApi = "smartapi";

    /// <summary>Zerodha Kite Connect: the ticker WebSocket and the REST <c>/quote</c> endpoints.</summary>
    public const string Kite = "kite";
}
