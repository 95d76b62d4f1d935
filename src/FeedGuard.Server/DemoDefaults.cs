namespace FeedGuard.Server;

/// <summary>What the gateway uses when the configuration does not say.</summary>
internal static class DemoDefaults
{
    /// <summary>A handful of liquid NSE cash instruments (real SmartAPI tokens), so a fresh clone shows a live table.</summary>
    public const string Instruments = "NSE:3045:SBIN,NSE:2885:RELIANCE,NSE:1594:INFY,NSE:11536:TCS,NSE:1333:HDFCBANK";

    /// <summary>
    /// The same instruments under Kite's instrument tokens (NSE:INFY is 408065): Kite streams by token
    /// and polls by symbol, so each carries both.
    /// </summary>
    public const string KiteInstruments = "NSE:779521:SBIN,NSE:738561:RELIANCE,NSE:408065:INFY,NSE:2953217:TCS,NSE:341249:HDFCBANK";

    /// <summary>
    /// The pause between reconnect rounds in demo mode. The real default (60 s, from the original
    /// requirements) protects a broker; against the local emulator it only makes a drill wait a minute
    /// to recover after "clear".
    /// </summary>
    public const string ReconnectCooldown = "00:00:10";
}
