using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.Market;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Emulator.Hosting;

/// <summary>What every endpoint of one emulator shares.</summary>
internal sealed class EmulatorRuntime
{
    public EmulatorRuntime(EmulatorOptions options, ILogger logger, MarketSimulator market, FaultController faults, ConnectionRegistry connections, EmulatorCounters counters, CancellationToken stopping)
    {
        Options = options;
        Logger = logger;
        Market = market;
        Faults = faults;
        Connections = connections;
        Counters = counters;
        Stopping = stopping;
    }

    public EmulatorOptions Options { get; }

    public TimeProvider Time => Options.TimeProvider;

    public ILogger Logger { get; }

    public MarketSimulator Market { get; }

    public FaultController Faults { get; }

    public ConnectionRegistry Connections { get; }

    public EmulatorCounters Counters { get; }

    /// <summary>Cancelled when the emulator stops.</summary>
    public CancellationToken Stopping { get; }
}
