using FeedGuard.Emulator.Kite;
using FeedGuard.Emulator.SmartApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedGuard.Emulator;

/// <summary>Settings of a <see cref="BrokerEmulator"/>. Validated once by <see cref="BrokerEmulator.StartAsync"/>.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Where to listen; loopback only (127.0.0.1, [::1] or localhost). Port 0 picks a free port. Default <c>http://127.0.0.1:0</c>.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:0";

    /// <summary>Seed of the market: the same seed gives every instrument the same start price and price path. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Updates per second of each instrument. Default 4; 0 freezes prices.</summary>
    public double TicksPerSecond { get; init; } = 4;

    /// <summary>Per-instrument overrides of <see cref="TicksPerSecond"/>, keyed <c>"exchangeType:token"</c> (e.g. <c>"1:3045"</c>), or <c>"kite:instrumentToken"</c> for Kite (e.g. <c>"kite:408065"</c>).</summary>
    public IReadOnlyDictionary<string, double> InstrumentTicksPerSecond { get; init; } = new Dictionary<string, double>();

    /// <summary>Well-formed ticks remembered per instrument for <see cref="BrokerEmulator.GetSentTicks"/> (oldest dropped first). Default 4096.</summary>
    public int SentLogCapacity { get; init; } = 4096;

    /// <summary>Ticks queued per socket before new ticks are dropped (counted in <see cref="EmulatorCounters.PacketsDropped"/>). Default 8192.</summary>
    public int SocketQueueCapacity { get; init; } = 8192;

    /// <summary>The SmartAPI side: credentials, auth mode and limits.</summary>
    public SmartApiEmulatorOptions SmartApi { get; init; } = new();

    /// <summary>The Kite side: credentials, auth mode, limits, heartbeat and the symbol map.</summary>
    public KiteEmulatorOptions Kite { get; init; } = new();

    /// <summary>Clock for exchange timestamps, tick pacing, rate limits and fault durations. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Logs of the emulator and its Kestrel host. Default <see cref="NullLoggerFactory.Instance"/>.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Urls))
        {
            throw new ArgumentException("EmulatorOptions.Urls must name at least one loopback URL.", nameof(Urls));
        }

        if (double.IsNaN(TicksPerSecond) || TicksPerSecond is < 0 or > 1_000_000)
        {
            throw new ArgumentException($"EmulatorOptions.TicksPerSecond must be 0–1,000,000; got {TicksPerSecond}.", nameof(TicksPerSecond));
        }

        foreach (var (key, rate) in InstrumentTicksPerSecond)
        {
            if (double.IsNaN(rate) || rate is < 0 or > 1_000_000)
            {
                throw new ArgumentException($"EmulatorOptions.InstrumentTicksPerSecond[{key}] must be 0–1,000,000; got {rate}.", nameof(InstrumentTicksPerSecond));
            }
        }

        if (SentLogCapacity < 1)
        {
            throw new ArgumentException($"EmulatorOptions.SentLogCapacity must be at least 1; got {SentLogCapacity}.", nameof(SentLogCapacity));
        }

        if (SocketQueueCapacity < 1)
        {
            throw new ArgumentException($"EmulatorOptions.SocketQueueCapacity must be at least 1; got {SocketQueueCapacity}.", nameof(SocketQueueCapacity));
        }

        ArgumentNullException.ThrowIfNull(SmartApi, nameof(SmartApi));
        ArgumentNullException.ThrowIfNull(Kite, nameof(Kite));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(LoggerFactory, nameof(LoggerFactory));
        SmartApi.Validate();
        Kite.Validate();
    }
}
