using FeedGuard.Ticks;

namespace FeedGuard.Integrity;

/// <summary>
/// Tick counts, written only under the ingest lock and read anywhere (64-bit reads are atomic).
/// Kept as plain fields so the hot path pays an increment, not a metrics call.
/// </summary>
internal sealed class IngestCounters
{
    private readonly long[] _receivedBySource = new long[4];

    public long Delivered;
    public long Duplicates;
    public long Stale;
    public long Implausible;
    public long Rejected;

    public long Received(TickSource source) => Volatile.Read(ref _receivedBySource[(int)source]);

    public long ReceivedTotal => Received(TickSource.Stream) + Received(TickSource.Poll) + Received(TickSource.Simulated);

    public void CountReceived(TickSource source, int count) => _receivedBySource[(int)source] += count;
}
