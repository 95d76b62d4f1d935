using FeedGuard.Sources;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Tests.Sources;

/// <summary>
/// One monotonic reading per message gives both the feed's timestamp and the tick's UTC receive time;
/// the wall clock is read again only to re-anchor.
/// </summary>
public sealed class ReceiveClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 4, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Read_ReturnsTheProvidersTimestampAndItsUtcTime()
    {
        var time = new FakeTimeProvider(Start);
        var clock = new ReceiveClock(time);

        var expectedFirst = time.GetTimestamp();
        var first = clock.Read(out var firstUtc);
        time.Advance(TimeSpan.FromMilliseconds(7.5));
        var second = clock.Read(out var secondUtc);

        Assert.Equal((expectedFirst, Start.UtcTicks), (first, firstUtc));
        Assert.Equal((time.GetTimestamp(), time.GetUtcNow().UtcTicks), (second, secondUtc));
    }

    [Fact]
    public void Read_BetweenAnchors_DerivesUtcFromTheMonotonicClockAtItsOwnFrequency()
    {
        var time = new SplitClock(frequency: 1_000_000_000, Start);
        var clock = new ReceiveClock(time);
        clock.Read(out _);

        // The wall clock is stepped a second ahead; the monotonic one moves 99 ms: still the first anchor.
        time.StepWallClock(TimeSpan.FromSeconds(1));
        time.AdvanceMonotonic(TimeSpan.FromMilliseconds(99));
        clock.Read(out var utc);

        Assert.Equal(Start.UtcTicks + TimeSpan.FromMilliseconds(99).Ticks, utc);
        Assert.Equal(1, time.WallClockReads);
    }

    [Fact]
    public void Read_OnceTheAnchorIsOld_ReadsTheWallClockAgainAndFollowsIt()
    {
        var time = new SplitClock(frequency: 1_000_000_000, Start);
        var clock = new ReceiveClock(time);
        clock.Read(out _);

        time.StepWallClock(TimeSpan.FromSeconds(1));
        time.AdvanceMonotonic(ReceiveClock.ReanchorAfter);
        clock.Read(out var atReanchor);
        time.AdvanceMonotonic(TimeSpan.FromMilliseconds(2));
        clock.Read(out var after);

        Assert.Equal((Start + TimeSpan.FromSeconds(1) + ReceiveClock.ReanchorAfter).UtcTicks, atReanchor);
        Assert.Equal(atReanchor + TimeSpan.FromMilliseconds(2).Ticks, after);
        Assert.Equal(2, time.WallClockReads);
    }

    [Fact]
    public void Read_TimestampBeforeTheAnchor_ReanchorsInsteadOfGoingBack()
    {
        var time = new SplitClock(frequency: 1_000_000_000, Start);
        var clock = new ReceiveClock(time);
        time.AdvanceMonotonic(TimeSpan.FromSeconds(5));
        clock.Read(out _);

        time.AdvanceMonotonic(TimeSpan.FromSeconds(-1));
        time.StepWallClock(TimeSpan.FromMilliseconds(1));
        clock.Read(out var utc);

        Assert.Equal((Start + TimeSpan.FromSeconds(4) + TimeSpan.FromMilliseconds(1)).UtcTicks, utc);
        Assert.Equal(2, time.WallClockReads);
    }

    [Fact]
    public void Constructor_NoProvider_Throws() => Assert.Throws<ArgumentNullException>(() => new ReceiveClock(null!));

    /// <summary>A clock whose wall and monotonic times move independently, counting wall-clock reads.</summary>
    private sealed class SplitClock(long frequency, DateTimeOffset wallClock) : TimeProvider
    {
        private long _timestamp = 1_000_000;
        private DateTimeOffset _wallClock = wallClock;

        public int WallClockReads { get; private set; }

        public override long TimestampFrequency => frequency;

        public override long GetTimestamp() => _timestamp;

        public override DateTimeOffset GetUtcNow()
        {
            WallClockReads++;
            return _wallClock;
        }

        public void AdvanceMonotonic(TimeSpan by)
        {
            _timestamp += (long)(by.TotalSeconds * frequency);
            _wallClock += by;
        }

        public void StepWallClock(TimeSpan by) => _wallClock += by;
    }
}
