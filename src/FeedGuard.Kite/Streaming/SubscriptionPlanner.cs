using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;

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

    /// <summary>
    /// Splits <paramref name="instruments"/> into the fewest sockets that fit, sizes differing by at
    /// most one so no socket runs near the broker's limit while another idles.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request does not fit (see <see cref="Validate"/>).</exception>
    public static Instrument[][] Plan(IReadOnlyList<Instrument> instruments, KiteOptions options)
    {
        var errors = Validate(instruments, options);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", errors));
        }

        var sockets = Math.Max(1, (instruments.Count + options.MaxInstrumentsPerSocket - 1) / options.MaxInstrumentsPerSocket);
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
