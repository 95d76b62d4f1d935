using FeedGuard.Instruments;

namespace FeedGuard.Sources.Sockets;

/// <summary>How a broker's instruments are spread over its sockets, the same for every broker.</summary>
public static class ShardPlan
{
    /// <summary>
    /// Splits <paramref name="instruments"/> into the fewest sockets of at most
    /// <paramref name="perSocket"/> each (one socket even for none), sizes differing by at most one
    /// so no socket runs near the broker's limit while another idles. Order is kept.
    /// </summary>
    public static Instrument[][] Split(IReadOnlyList<Instrument> instruments, int perSocket)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSocket);
        var sockets = Math.Max(1, (instruments.Count + perSocket - 1) / perSocket);
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
