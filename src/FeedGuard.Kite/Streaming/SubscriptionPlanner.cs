using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Sources.Sockets;

namespace FeedGuard.Kite.Streaming;

/// <summary>
/// Spreads instruments over ticker sockets within Kite's limits: at most
/// <see cref="KiteOptions.MaxInstrumentsPerSocket"/> (3000) per socket and
/// <see cref="KiteOptions.MaxSockets"/> (3) sockets per api_key, so at most 9000 instruments.
/// </summary>
internal static class SubscriptionPlanner
{
    /// <summary>Problems that would make every connect fail; empty when the request fits.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<Instrument> instruments, KiteOptions options)
    {
        var errors = new List<string>();
        var capacity = options.MaxInstrumentsPerSocket * options.MaxSockets;
        if (instruments.Count > capacity)
        {
            errors.Add(
                $"Kite streams at most {capacity} instruments per api_key ({options.MaxSockets} sockets × {options.MaxInstrumentsPerSocket} " +
                $"instruments; {KiteOptions.SectionName}:MaxSockets and :MaxInstrumentsPerSocket), but {instruments.Count} were requested.");
        }

        errors.AddRange(KiteSegments.Problems(instruments, needSymbol: false));
        return errors;
    }

    /// <summary>Splits <paramref name="instruments"/> over the fewest sockets that fit (<see cref="ShardPlan.Split"/>).</summary>
    /// <exception cref="InvalidOperationException">The request does not fit (see <see cref="Validate"/>).</exception>
    public static Instrument[][] Plan(IReadOnlyList<Instrument> instruments, KiteOptions options)
    {
        var errors = Validate(instruments, options);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }

        return ShardPlan.Split(instruments, options.MaxInstrumentsPerSocket);
    }
}
