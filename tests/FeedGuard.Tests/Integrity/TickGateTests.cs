using FeedGuard.Instruments;
using FeedGuard.Integrity;
using FeedGuard.Testing;
using FeedGuard.Ticks;

namespace FeedGuard.Tests.Integrity;

/// <summary>
/// Every rule in <see cref="TickGate"/>'s doc comment (DESIGN §6): a consumer never sees time go
/// backwards and never sees the same update twice, whatever tiers overlap during a failover.
/// </summary>
public sealed class TickGateTests
{
    private static readonly long Tolerance = TimeSpan.FromMinutes(5).Ticks;
    private static readonly Instrument Sbin = new InstrumentRegistry([InstrumentKey.Parse("NSE:3045")])[0];

    /// <summary>10:00:00.700 IST, as a stream stamps it (milliseconds).</summary>
    private static readonly DateTimeOffset T = new(2026, 11, 23, 10, 0, 0, 700, new TimeSpan(5, 30, 0));

    /// <summary>10:00:00.000 IST, as REST stamps the same moment (whole seconds).</summary>
    private static readonly DateTimeOffset TSecond = new(2026, 11, 23, 10, 0, 0, new TimeSpan(5, 30, 0));

    [Theory]
    [InlineData(TickSource.Stream)]
    [InlineData(TickSource.Poll)]
    [InlineData(TickSource.Simulated)]
    public void Check_FirstTick_IsDelivered(TickSource source)
    {
        var tick = TickBuilder.Make(Sbin, source, 500m, T, source == TickSource.Simulated ? null : T);

        Assert.Equal(GateVerdict.Deliver, Check(tick, null));
    }

    [Fact]
    public void Check_ExchangeTimeBeyondToleranceAheadOfReceipt_IsImplausible()
    {
        var future = TickBuilder.Make(Sbin, TickSource.Stream, 500m, T, T.AddMinutes(5).AddTicks(1));

        Assert.Equal(GateVerdict.Implausible, Check(future, null));
        Assert.Equal(GateVerdict.Implausible, Check(future, Stream(499m, T)));
    }

    [Fact]
    public void Check_ExchangeTimeExactlyAtTolerance_IsDelivered()
    {
        var ahead = TickBuilder.Make(Sbin, TickSource.Stream, 500m, T, T.AddMinutes(5));

        Assert.Equal(GateVerdict.Deliver, Check(ahead, Stream(499m, T)));
    }

    [Fact]
    public void Check_ImplausibleRuleUsesTheGivenTolerance()
    {
        var ahead = TickBuilder.Make(Sbin, TickSource.Stream, 500m, T, T.AddSeconds(2));

        Assert.Equal(GateVerdict.Implausible, TickGate.Check(ahead, default, false, 0, TimeSpan.FromSeconds(1).Ticks));
        Assert.Equal(GateVerdict.Deliver, TickGate.Check(ahead, default, false, 0, TimeSpan.FromSeconds(2).Ticks));
    }

    [Fact]
    public void Check_ExchangeTimeBehindReceipt_IsNotImplausible()
    {
        var late = TickBuilder.Make(Sbin, TickSource.Stream, 500m, T.AddHours(1), T);

        Assert.Equal(GateVerdict.Deliver, Check(late, null));
    }

    [Fact]
    public void Check_SameSourceSameTimeLowerSequence_IsStale()
    {
        Assert.Equal(GateVerdict.Stale, Check(Stream(501m, T, sequence: 9), Stream(500m, T, sequence: 10)));
    }

    [Fact]
    public void Check_SameSourceSameTimeSameSequence_IsDuplicateEvenWithOtherData()
    {
        Assert.Equal(GateVerdict.Duplicate, Check(Stream(500m, T, sequence: 10), Stream(500m, T, sequence: 10)));
        Assert.Equal(GateVerdict.Duplicate, Check(Stream(501m, T, sequence: 10), Stream(500m, T, sequence: 10)));
    }

    [Fact]
    public void Check_SameSourceSameTimeHigherSequence_IsDeliveredEvenWithSameData()
    {
        Assert.Equal(GateVerdict.Deliver, Check(Stream(501m, T, sequence: 11), Stream(500m, T, sequence: 10)));
        Assert.Equal(GateVerdict.Deliver, Check(Stream(500m, T, sequence: 11), Stream(500m, T, sequence: 10)));
    }

    [Fact]
    public void Check_HigherSequenceButOlderExchangeTime_IsStale()
    {
        Assert.Equal(GateVerdict.Stale, Check(Stream(501m, T.AddMilliseconds(-1), sequence: 11), Stream(500m, T, sequence: 10)));
    }

    [Fact]
    public void Check_LowerSequenceFromAnotherSource_IsNotJudgedBySequence()
    {
        var last = Stream(500m, T, sequence: 10);
        var otherTier = TickBuilder.Make(Sbin, TickSource.Poll, 501m, T, T, sequence: 3);

        Assert.Equal(GateVerdict.Deliver, Check(otherTier, last));
    }

    [Fact]
    public void Check_OlderExchangeTimeWithOtherData_IsStale()
    {
        Assert.Equal(GateVerdict.Stale, Check(Stream(499m, T.AddMilliseconds(-1)), Stream(500m, T)));
    }

    [Fact]
    public void Check_OlderExchangeTimeWithIdenticalData_IsDuplicate()
    {
        Assert.Equal(GateVerdict.Duplicate, Check(Stream(500m, T.AddSeconds(-3)), Stream(500m, T)));
    }

    [Fact]
    public void Check_OlderThanNewestDeliveredThoughLastHadNoTime_IsStale()
    {
        // The last delivered tick carried no exchange time; the newest time delivered before it still holds.
        var last = TickBuilder.Make(Sbin, TickSource.Poll, 500m, T);

        Assert.Equal(GateVerdict.Stale, TickGate.Check(Stream(499m, T.AddMilliseconds(-1)), last, true, T.UtcTicks, Tolerance));
        Assert.Equal(GateVerdict.Deliver, TickGate.Check(Stream(499m, T), last, true, T.UtcTicks, Tolerance));
    }

    [Fact]
    public void Check_PollCopyOfAStreamTickArrivingLate_IsDuplicate()
    {
        // The stream delivered at .700; REST reports the same update stamped with the whole second.
        Assert.Equal(GateVerdict.Duplicate, Check(Poll(500m, TSecond), Stream(500m, T)));
    }

    [Fact]
    public void Check_PollWithOtherDataStampedBeforeTheStreamTick_IsStale()
    {
        Assert.Equal(GateVerdict.Stale, Check(Poll(499.5m, TSecond), Stream(500m, T)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(700)]
    [InlineData(999)]
    public void Check_StreamCopyOfAPollTickWithinOneSecond_IsDuplicate(int millisecondsLater)
    {
        var stream = Stream(500m, TSecond.AddMilliseconds(millisecondsLater));

        Assert.Equal(GateVerdict.Duplicate, Check(stream, Poll(500m, TSecond)));
    }

    [Fact]
    public void Check_StreamWithIdenticalDataOneSecondAfterPoll_IsDelivered()
    {
        Assert.Equal(GateVerdict.Deliver, Check(Stream(500m, TSecond.AddSeconds(1)), Poll(500m, TSecond)));
    }

    [Fact]
    public void Check_StreamWithOtherDataWithinOneSecondOfPoll_IsDelivered()
    {
        Assert.Equal(GateVerdict.Deliver, Check(Stream(500.05m, TSecond.AddMilliseconds(300)), Poll(500m, TSecond)));
    }

    [Fact]
    public void Check_IdenticalDataAtLaterTimeFromTheSameSource_IsDelivered()
    {
        // Two trades at the same price a millisecond apart are two updates.
        Assert.Equal(GateVerdict.Deliver, Check(Stream(500m, T.AddMilliseconds(1)), Stream(500m, T)));
        Assert.Equal(GateVerdict.Deliver, Check(Poll(500m, TSecond.AddSeconds(1)), Poll(500m, TSecond)));
    }

    [Fact]
    public void Check_IdenticalDataSameSourceSameTimeWithoutSequence_IsDuplicate()
    {
        Assert.Equal(GateVerdict.Duplicate, Check(Stream(500m, T), Stream(500m, T)));
    }

    [Fact]
    public void Check_OtherDataSameSourceSameTimeWithoutSequence_IsDelivered()
    {
        Assert.Equal(GateVerdict.Deliver, Check(Stream(500.05m, T), Stream(500m, T)));
    }

    [Fact]
    public void Check_SamePriceOtherVolume_IsDelivered()
    {
        var last = TickBuilder.Make(Sbin, TickSource.Stream, 500m, T, T, volume: 1000);
        var next = TickBuilder.Make(Sbin, TickSource.Poll, 500m, T, TSecond.AddMilliseconds(900), volume: 1010);

        Assert.Equal(GateVerdict.Deliver, Check(next, last));
    }

    [Fact]
    public void Check_NoExchangeTimeIdenticalData_IsDuplicate()
    {
        var last = TickBuilder.Make(Sbin, TickSource.Poll, 500m, T);
        var again = TickBuilder.Make(Sbin, TickSource.Poll, 500m, T.AddSeconds(1));

        Assert.Equal(GateVerdict.Duplicate, Check(again, last));
        Assert.Equal(GateVerdict.Duplicate, Check(again, Stream(500m, T)));
    }

    [Fact]
    public void Check_NoExchangeTimeOtherData_IsDeliveredEvenAfterANewerTimedTick()
    {
        var untimed = TickBuilder.Make(Sbin, TickSource.Poll, 500.05m, T);

        Assert.Equal(GateVerdict.Deliver, Check(untimed, Stream(500m, T.AddSeconds(10))));
        Assert.Equal(GateVerdict.Deliver, Check(untimed, TickBuilder.Make(Sbin, TickSource.Poll, 500m, T)));
    }

    [Fact]
    public void Check_NoExchangeTimeFarAheadOfNothing_IsNeverImplausible()
    {
        var untimed = TickBuilder.Make(Sbin, TickSource.Poll, 500.05m, T);

        Assert.Equal(GateVerdict.Deliver, TickGate.Check(untimed, default, false, 0, 0));
    }

    [Fact]
    public void Check_RealTickAtTheSimulatedPrice_IsDelivered()
    {
        // When the stream returns after simulation, its first tick may hit the walk's price. It is the
        // first real data in a while and must not be dropped as a copy of a synthetic tick.
        var simulated = TickBuilder.Make(Sbin, TickSource.Simulated, 500m, T);

        Assert.Equal(GateVerdict.Deliver, Check(Stream(500m, T.AddMilliseconds(10)), simulated));
        Assert.Equal(GateVerdict.Deliver, Check(Poll(500m, TSecond.AddSeconds(1)), simulated));
        Assert.Equal(GateVerdict.Deliver, Check(TickBuilder.Make(Sbin, TickSource.Poll, 500m, T), simulated));
    }

    [Fact]
    public void Check_SimulatedTickAtTheLastRealPrice_IsDelivered()
    {
        var simulated = TickBuilder.Make(Sbin, TickSource.Simulated, 500m, T.AddSeconds(1));

        Assert.Equal(GateVerdict.Deliver, Check(simulated, Stream(500m, T)));
    }

    [Fact]
    public void Check_SimulatedRepeat_IsDuplicate()
    {
        var simulated = TickBuilder.Make(Sbin, TickSource.Simulated, 500m, T);

        Assert.Equal(GateVerdict.Duplicate, Check(TickBuilder.Make(Sbin, TickSource.Simulated, 500m, T.AddSeconds(1)), simulated));
    }

    private static Tick Stream(decimal price, DateTimeOffset at, long? sequence = null) =>
        TickBuilder.Make(Sbin, TickSource.Stream, price, at, at, sequence);

    private static Tick Poll(decimal price, DateTimeOffset stampedAt) =>
        TickBuilder.Make(Sbin, TickSource.Poll, price, stampedAt.AddMilliseconds(1500), stampedAt);

    // The gate as the book calls it: the last delivered tick is also the newest exchange time seen.
    private static GateVerdict Check(in Tick tick, Tick? last) =>
        last is { } l
            ? TickGate.Check(tick, l, true, l.ExchangeTimeUtcTicks, Tolerance)
            : TickGate.Check(tick, default, false, 0, Tolerance);
}
