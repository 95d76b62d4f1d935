using FeedGuard.Instruments;
using FeedGuard.SmartApi.Codec;

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

    /// <summary>
    /// Splits <paramref name="instruments"/> into the fewest sockets that fit, sizes differing by at
    /// most one so no socket runs near the broker's limit while another idles.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request does not fit (see <see cref="Validate"/>).</exception>
    public static Instrument[][] Plan(IReadOnlyList<Instrument> instruments, SmartApiOptions options)
    {
        var errors = Validate(instruments, options);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }

        var sockets = Math.Max(1, (instruments.Count + options.MaxTokensPerSocket - 1) / options.MaxTokensPerSocket);
        var shards = new Instrument[sockets][];
        var start = 0;
        for (var i = 0; i < sockets; i++)
        {
            var size = (instruments.Count / sockets) + (i < instruments.Count % sockets ? 1 : 0);
            var shard = new Instrument[size];
            for (var j = 0; j < size; j++)
            {
                shard[j] = instruments[start + j];
            }

            shards[i] = shard;
            start += size;
        }

        return shards;
    }
}
