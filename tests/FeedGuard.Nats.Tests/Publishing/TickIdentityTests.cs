using FeedGuard.Instruments;
using FeedGuard.Nats.Publishing;
using FeedGuard.Testing;
using FeedGuard.Ticks;

namespace FeedGuard.Nats.Tests.Publishing;

/// <summary>
/// The Nats-Msg-Id is the tick's identity: equal for the same broker tick seen by two gateways
/// (whatever their receive times), different for different ticks — JetStream would silently drop those.
/// </summary>
public class TickIdentityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 4, 0, 0, TimeSpan.Zero);
    private readonly Instrument _sbin = new InstrumentRegistry([InstrumentKey.Parse("NSE:3045")]).All[0];
    private readonly Instrument _sbinOnGatewayB = new InstrumentRegistry([InstrumentKey.Parse("NSE:3045:SBIN")]).All[0];

    [Fact]
    public void Next_SameStreamTickSeenByTwoGateways_IsTheSameId()
    {
        var a = new TickIdentity("gw-a");
        var b = new TickIdentity("gw-b");
        var onA = TickBuilder.Make(_sbin, TickSource.Stream, 812.35m, T0.AddMilliseconds(3), T0, sequence: 41, volume: 1000);
        var onB = TickBuilder.Make(_sbinOnGatewayB, TickSource.Stream, 812.35m, T0.AddMilliseconds(9), T0, sequence: 41, volume: 1000);

        Assert.Equal(a.Next(onA), b.Next(onB));
    }

    [Fact]
    public void Next_TwoTradesInOneExchangeSecondWithoutSequence_AreDifferentIds()
    {
        // Kite full mode stamps seconds: two trades in one second differ only by their market data.
        var identity = new TickIdentity("gw");
        var first = TickBuilder.Make(_sbin, TickSource.Stream, 812.35m, T0, T0, volume: 1000);
        var second = TickBuilder.Make(_sbin, TickSource.Stream, 812.35m, T0.AddMilliseconds(400), T0, volume: 1050);

        Assert.NotEqual(identity.Next(first), identity.Next(second));
    }

    [Fact]
    public void Next_StreamSequenceDiffers_IsADifferentId()
    {
        var identity = new TickIdentity("gw");
        var first = TickBuilder.Make(_sbin, TickSource.Stream, 812.35m, T0, T0, sequence: 1);
        var second = TickBuilder.Make(_sbin, TickSource.Stream, 812.35m, T0, T0, sequence: 2);

        Assert.NotEqual(identity.Next(first), identity.Next(second));
    }

    [Fact]
    public void Next_PriceWrittenAtAnotherScale_IsTheSameId()
    {
        var a = new TickIdentity("a");
        var b = new TickIdentity("b");
        var paise = new Tick(_sbin, TickSource.Stream, 812_30, 2, T0) { ExchangeTime = T0 };
        var tenths = new Tick(_sbin, TickSource.Stream, 8123, 1, T0) { ExchangeTime = T0 };

        Assert.Equal(a.Next(paise), b.Next(tenths));
    }

    [Fact]
    public void Next_NoExchangeTime_PriceThatComesBack_IsANewTick()
    {
        // Kite LTP packets carry no time: 100, 101, 100 is three ticks, not a repeat of the first.
        var identity = new TickIdentity("gw");
        var ids = new[] { 100m, 101m, 100m, 101m }
            .Select((price, i) => identity.Next(TickBuilder.Make(_sbin, TickSource.Stream, price, T0.AddMilliseconds(100 * i))))
            .ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Next_NoExchangeTime_SameSequenceOnTwoGatewaysWithinASecond_IsTheSameId()
    {
        var a = new TickIdentity("a");
        var b = new TickIdentity("b");
        var prices = new[] { 100m, 101m, 100m };

        var onA = prices.Select((p, i) => a.Next(TickBuilder.Make(_sbin, TickSource.Stream, p, T0.AddMilliseconds((100 * i) + 1)))).ToList();
        var onB = prices.Select((p, i) => b.Next(TickBuilder.Make(_sbinOnGatewayB, TickSource.Poll, p, T0.AddMilliseconds((100 * i) + 7)))).ToList();

        Assert.Equal(onA, onB);
    }

    [Fact]
    public void Next_SimulatedTicks_NeverMatchAnotherGatewayOrARealTick()
    {
        var a = new TickIdentity("a");
        var b = new TickIdentity("b");
        var simulated = TickBuilder.Make(_sbin, TickSource.Simulated, 812.35m, T0, T0);
        var real = TickBuilder.Make(_sbin, TickSource.Stream, 812.35m, T0, T0);

        var simulatedOnA = a.Next(simulated);
        Assert.NotEqual(simulatedOnA, b.Next(simulated));
        Assert.NotEqual(simulatedOnA, a.Next(simulated));
        Assert.NotEqual(simulatedOnA, new TickIdentity("c").Next(real));
    }

    [Fact]
    public void Next_SourceAndReceiveTimeDiffer_SameExchangeStamp_IsTheSameId()
    {
        // The same update reaching one gateway by stream and another by poll with the same stamp is one tick.
        var a = new TickIdentity("a");
        var b = new TickIdentity("b");
        var stream = TickBuilder.Make(_sbin, TickSource.Stream, 812.35m, T0.AddMilliseconds(2), T0);
        var poll = TickBuilder.Make(_sbin, TickSource.Poll, 812.35m, T0.AddMilliseconds(250), T0);

        Assert.Equal(a.Next(stream), b.Next(poll));
    }
}
