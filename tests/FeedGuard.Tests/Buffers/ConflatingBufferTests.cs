using FeedGuard.Buffers;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Buffers;

/// <summary>The latest-per-instrument policy as a quote consumer sees it through the feed.</summary>
public sealed class ConflatingBufferTests
{
    [Fact]
    public async Task TryRead_SeveralTicksPerInstrumentUnread_ReturnsOnlyTheNewestOfEach()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var quotes = h.Feed.Subscribe(new SubscriptionOptions { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument });

        await h.Stream.Current.EmitAsync(
            TickSeries.Stream(h.SbinInstrument, h.Now, 0),
            TickSeries.Stream(h.RelianceInstrument, h.Now, 1),
            TickSeries.Stream(h.SbinInstrument, h.Now, 2),
            TickSeries.Stream(h.SbinInstrument, h.Now, 3));
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.RelianceInstrument, h.Now, 4));

        var read = TickSeries.Drain(quotes);
        Assert.Equal([(h.SbinInstrument.Name, 3L, 100.03m), (h.RelianceInstrument.Name, 4L, 100.04m)], read.Select(t => (t.Instrument.Name, t.Sequence ?? -1, t.LastPrice)));
        Assert.Equal((5L, 3L, 0), (quotes.Delivered, quotes.Dropped, quotes.Count));
    }

    [Fact]
    public async Task TryRead_InstrumentUpdatedWhilePending_KeepsItsPlaceInTheQueue()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var quotes = h.Feed.Subscribe(new SubscriptionOptions { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument });

        // Reliance becomes pending first; its later update must not move it behind SBIN.
        await h.Stream.Current.EmitAsync(
            TickSeries.Stream(h.RelianceInstrument, h.Now, 0),
            TickSeries.Stream(h.SbinInstrument, h.Now, 1),
            TickSeries.Stream(h.RelianceInstrument, h.Now, 2));

        Assert.True(quotes.TryRead(out var first));
        Assert.Equal((h.RelianceInstrument, 2L), (first.Instrument, first.Sequence ?? -1));

        // Read, then updated again: it is pending anew, now behind SBIN.
        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.RelianceInstrument, h.Now, 3));
        Assert.Equal([1L, 3L], TickSeries.Sequences(TickSeries.Drain(quotes)));
        Assert.Equal(1, quotes.Dropped);
    }

    [Fact]
    public async Task ReadAsync_ReaderWaiting_GetsTheTickAndNothingIsDropped()
    {
        await using var h = new FeedHarness();
        await h.StartAsync();
        var quotes = h.Feed.Subscribe(new SubscriptionOptions { Name = "quotes", Policy = BufferPolicy.LatestPerInstrument });
        var pending = quotes.ReadAsync().AsTask();
        Assert.False(pending.IsCompleted);

        await h.Stream.Current.EmitAsync(TickSeries.Stream(h.SbinInstrument, h.Now, 7));

        var tick = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((TickSource.Stream, 7L), (tick.Source, tick.Sequence ?? -1));
        Assert.Equal((0L, 0, false), (quotes.Dropped, quotes.Count, quotes.IsSlow));
    }
}
