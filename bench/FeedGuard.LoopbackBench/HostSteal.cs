using System.Globalization;

namespace FeedGuard.LoopbackBench;

/// <summary>
/// CPU time the hypervisor gave to other guests while this VM wanted it ("steal" in /proc/stat).
/// On a shared 2-core VM it is what turns a 50 µs p99 into 10 ms, for every client alike, so each
/// cell reports it: a latency figure from a cell with steal above <see cref="NoisyPercent"/> says
/// more about the host than about the client.
/// </summary>
internal static class HostSteal
{
    /// <summary>Above this share of CPU time stolen during a cell, its latency tail is not judged.</summary>
    public const double NoisyPercent = 5;

    /// <summary>Steal and total CPU time over all CPUs so far, in jiffies; null where /proc/stat is unavailable.</summary>
    public static (long Steal, long Total)? Read()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");

            // "cpu  user nice system idle iowait irq softirq steal guest guest_nice": guest time is already in user.
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is null || fields.Length < 9 || fields[0] != "cpu")
            {
                return null;
            }

            var values = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return (values[7], values.Sum());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Percent of CPU time stolen between two readings; null when either is missing or no time passed.</summary>
    public static double? Percent((long Steal, long Total)? start, (long Steal, long Total)? end) =>
        start is { } s && end is { } e && e.Total > s.Total ? 100.0 * (e.Steal - s.Steal) / (e.Total - s.Total) : null;
}
