using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using FeedGuard.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedGuard;

/// <summary>
/// The collaborators of a <see cref="MarketFeed"/>, each with a null-object default so a feed works
/// with none given and tests can replace any of them.
/// </summary>
public sealed record MarketFeedServices
{
    /// <summary>The clock for every timeout, backoff and timestamp. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where logs go. Default: nowhere.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>Creates the feed's <see cref="Meter"/>. Default: a meter owned by the feed.</summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>Uniform values in [0, 1) for reconnect jitter. Replace with a constant for exact tests.</summary>
    public Func<double> Randomizer { get; init; } = DefaultRandomizer();

    /// <summary>Asked for new credentials after the broker rejected them. Default: none (wait for <see cref="MarketFeed.NotifyCredentialsChanged"/>).</summary>
    public ICredentialsProvider? CredentialsProvider { get; init; }

    private static Func<double> DefaultRandomizer()
    {
        var random = new Random(RandomNumberGenerator.GetInt32(int.MaxValue));
        var gate = new Lock();
        return () =>
        {
            lock (gate)
            {
                return random.NextDouble();
            }
        };
    }
}
