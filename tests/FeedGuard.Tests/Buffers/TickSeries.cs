using FeedGuard.Buffers;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Buffers;

/// <summary>Numbered stream ticks and small readers shared by the buffer and concurrency tests.</summary>
internal static class TickSeries
{
    /// <summary>
    /// Stream tick number <paramref name="n"/> of <paramref name="instrument"/>: sequence <paramref name="n"/>,
    /// exchange time <paramref name="n"/> ms after <paramref name="at"/>, price 100.00 + n paise. Numbers
    /// rise, so the integrity gate delivers every tick of a rising series.
    /// </summary>
    public static Tick Stream(Instrument instrument, DateTimeOffset at, long n) =>
        new(instrument, TickSource.Stream, 10_000 + n, 2, at) { ExchangeTime = at.AddMilliseconds(n), Sequence = n };

    /// <summary>Ticks <paramref name="first"/> .. <paramref name="first"/> + <paramref name="count"/> − 1 of one instrument.</summary>
    public static Tick[] Stream(Instrument instrument, DateTimeOffset at, long first, int count)
    {
        var ticks = new Tick[count];
        for (var i = 0; i < count; i++)
        {
            ticks[i] = Stream(instrument, at, first + i);
        }

        return ticks;
    }

    /// <summary>The sequence numbers of <paramref name="ticks"/>, for readable assertions.</summary>
    public static long[] Sequences(IEnumerable<Tick> ticks) => [.. ticks.Select(t => t.Sequence ?? -1)];

    /// <summary>Every tick waiting in <paramref name="subscription"/>, without waiting.</summary>
    public static List<Tick> Drain(TickSubscription subscription)
    {
        var ticks = new List<Tick>();
        while (subscription.TryRead(out var tick))
        {
            ticks.Add(tick);
        }

        return ticks;
    }

    /// <summary>Enumerates <paramref name="subscription"/> to its end; fails the test if it does not end within 10 s.</summary>
    public static async Task<List<Tick>> ReadToEndAsync(TickSubscription subscription)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var ticks = new List<Tick>();
        await foreach (var tick in subscription.WithCancellation(bound.Token))
        {
            ticks.Add(tick);
        }

        return ticks;
    }
}
