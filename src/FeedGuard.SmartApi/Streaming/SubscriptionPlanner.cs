using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;
using FeedGuard.Sources.Sockets;

namespace FeedGuard.SmartApi.Streaming;

/// <summary>
/// Spreads instruments over sockets within SmartStream's limits: at most
/// <see cref="SmartApiOptions.MaxTokensPerSocket"/> token+mode subscriptions per socket and
/// <see cref="SmartApiOptions.MaxSockets"/> sockets per client code. FeedGuard subscribes each
/// instrument in one mode, so one instrument is one subscription.
/// </summary>
internal static class SubscriptionPlanner
{
    /// <summary>Problems that would make every connect fail; empty when the request fits.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<Instrument> instruments, SmartApiOptions options)
    {
        var errors = new List<string>();
        var capacity = options.MaxTokensPerSocket * options.MaxSockets;
        if (instruments.Count > capacity)
        {
            errors.Add(
                $"SmartAPI streams at most {capacity} instruments per client code ({options.MaxSockets} sockets × {options.MaxTokensPerSocket} " +
                $"token subscriptions; {SmartApiOptions.SectionName}:MaxSockets and :MaxTokensPerSocket), but {instruments.Count} were requested.");
        }

        var unserved = SmartApiExchanges.Unserved(instruments);
        if (unserved.Count > 0)
        {
            errors.Add($"SmartAPI does not serve exchange(s) {string.Join(", ", unserved)}; it serves {SmartApiExchanges.Served}.");
        }

        return errors;
    }

    /// <summary>Splits <paramref name="instruments"/> over the fewest sockets that fit (<see cref="ShardPlan.Split"/>).</summary>
    /// <exception cref="InvalidOperationException">The request does not fit (see <see cref="Validate"/>).</exception>
    public static Instrument[][] Plan(IReadOnlyList<Instrument> instruments, SmartApiOptions options)
    {
        var errors = Validate(instruments, options);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }

        return ShardPlan.Split(instruments, options.MaxTokensPerSocket);
    }
}
