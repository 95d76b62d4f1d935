namespace FeedGuard.Hosting.Options;

/// <summary>Where the emulator broker is (<c>FeedGuard:Emulator:*</c>); used when <c>FeedGuard:Broker</c> is <c>Emulator</c>.</summary>
public sealed record EmulatorSettings
{
    /// <summary>
    /// Base URL of a running emulator (for example one started with <c>feedguard emulate</c>), such as
    /// <c>http://127.0.0.1:5090/</c>. Default: none, which starts an emulator in-process on a free
    /// loopback port.
    /// </summary>
    public Uri? Url { get; init; }

    /// <summary>Seed of the in-process emulator's market. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Updates per second per instrument of the in-process emulator. Default 4.</summary>
    public double TicksPerSecond { get; init; } = 4;
}
