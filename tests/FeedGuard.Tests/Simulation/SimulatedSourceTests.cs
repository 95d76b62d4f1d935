using FeedGuard.Instruments;
using FeedGuard.Simulation;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Tests.Simulation;

/// <summary>The last-resort tier: a seeded random walk from the last real price that always says it is simulated.</summary>
public sealed class SimulatedSourceTests
{
    private static readonly InstrumentRegistry Registry = new([InstrumentKey.Parse("NSE:3045"), InstrumentKey.Parse("NSE:2885"), InstrumentKey.Parse("MCX:1")]);
    private static readonly Instrument Sbin = Registry[0];
    private static readonly Instrument Reliance = Registry[1];
    private static readonly Instrument Crude = Registry[2];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 10, 0, 0, new TimeSpan(5, 30, 0)));

    [Fact]
    public void Step_SameSeed_GivesIdenticalWalks()
    {
        var a = new SimulatedSource(Registry, seed: 7);
        var b = new SimulatedSource(Registry, seed: 7);

        Assert.Equal(Walk(a, 100, AllKnown), Walk(b, 100, AllKnown));
    }

    [Fact]
    public void Step_DifferentSeeds_GiveDifferentWalks()
    {
        var a = new SimulatedSource(Registry, seed: 7);
        var b = new SimulatedSource(Registry, seed: 8);

        Assert.NotEqual(Walk(a, 100, AllKnown), Walk(b, 100, AllKnown));
    }

    [Fact]
    public void Step_EveryStep_MovesExactlyOneGridStepAndStaysOnTheGrid()
    {
        var source = new SimulatedSource(Registry, seed: 11);
        var previous = new Dictionary<Instrument, decimal> { [Sbin] = 500m, [Reliance] = 2500m, [Crude] = 6000m };
        var ups = 0;
        var downs = 0;

        for (var i = 0; i < 200; i++)
        {
            foreach (var tick in Step(source, AllKnown))
            {
                var move = tick.LastPrice - previous[tick.Instrument];
                Assert.True(Math.Abs(move) == SimulatedSource.GridStep, $"{tick.Instrument} moved {move} at step {i}");
                Assert.Equal(0m, tick.LastPrice % SimulatedSource.GridStep);
                ups += move > 0 ? 1 : 0;
                downs += move < 0 ? 1 : 0;
                previous[tick.Instrument] = tick.LastPrice;
            }
        }

        Assert.Equal(600, ups + downs);
        Assert.InRange(ups, 200, 400);
    }

    [Theory]
    [InlineData("500.03", "500.05")]
    [InlineData("500.02", "500.00")]
    [InlineData("500.025", "500.05")]
    [InlineData("500", "500")]
    [InlineData("83.2512500", "83.25")]
    public void Step_FirstTick_IsOneStepFromTheLastKnownPriceSnappedToTheGrid(string lastKnown, string snapped)
    {
        var last = Real(Sbin, decimal.Parse(lastKnown, System.Globalization.CultureInfo.InvariantCulture));
        var start = decimal.Parse(snapped, System.Globalization.CultureInfo.InvariantCulture);
        var source = new SimulatedSource(Registry, seed: 3);

        var tick = Assert.Single(Step(source, i => i == Sbin ? last : null));

        Assert.Contains(tick.LastPrice, new[] { start - SimulatedSource.GridStep, start + SimulatedSource.GridStep });
    }

    [Fact]
    public void Step_LastKnownAtFinerScale_KeepsThatScale()
    {
        var source = new SimulatedSource(Registry, seed: 3);

        var tick = Assert.Single(Step(source, i => i == Sbin ? Real(Sbin, 83.2500000m) : null));

        Assert.Equal(7, tick.PriceScale);
    }

    [Fact]
    public void Step_LastKnownAtWholeRupees_WalksInPaise()
    {
        var source = new SimulatedSource(Registry, seed: 3);
        var whole = new Tick(Sbin, TickSource.Stream, 500, 0, _clock.GetUtcNow());

        var tick = Assert.Single(Step(source, i => i == Sbin ? whole : null));

        Assert.Equal(2, tick.PriceScale);
        Assert.Contains(tick.LastPrice, new[] { 499.95m, 500.05m });
    }

    [Theory]
    [InlineData("0.05")]
    [InlineData("0.02")]
    [InlineData("0")]
    [InlineData("-3.50")]
    public void Step_NearZero_NeverGoesBelowOneGridStep(string lastKnown)
    {
        var last = Real(Sbin, decimal.Parse(lastKnown, System.Globalization.CultureInfo.InvariantCulture));
        var source = new SimulatedSource(Registry, seed: 5);
        var prices = new List<decimal>();

        for (var i = 0; i < 300; i++)
        {
            prices.Add(Assert.Single(Step(source, x => x == Sbin ? last : null)).LastPrice);
        }

        Assert.All(prices, p => Assert.True(p >= SimulatedSource.GridStep, $"walked to {p}"));
        Assert.Contains(SimulatedSource.GridStep, prices);
    }

    [Fact]
    public void Step_InstrumentWithNoKnownPrice_IsSkippedNotInvented()
    {
        var source = new SimulatedSource(Registry, seed: 1);
        var output = new Tick[Registry.Count];

        var written = source.Step(i => i == Reliance ? null : Real(i, 100m), _clock.GetUtcNow(), output);

        Assert.Equal(2, written);
        Assert.Equal([Sbin, Crude], output[..written].Select(t => t.Instrument));
    }

    [Fact]
    public void Step_NoKnownPrices_WritesNothing()
    {
        var source = new SimulatedSource(Registry, seed: 1);

        Assert.Equal(0, source.Step(_ => null, _clock.GetUtcNow(), new Tick[Registry.Count]));
    }

    [Fact]
    public void Step_PriceBecomesKnownLater_InstrumentJoinsFromThatPrice()
    {
        var source = new SimulatedSource(Registry, seed: 1);
        Step(source, i => i == Sbin ? Real(Sbin, 500m) : null);

        var ticks = Step(source, i => Real(i, 700m));

        Assert.Equal([Sbin, Reliance, Crude], ticks.Select(t => t.Instrument));
        Assert.Contains(ticks[1].LastPrice, new[] { 699.95m, 700.05m });
    }

    [Fact]
    public void Step_AfterStart_WalksOnFromItsOwnPriceNotTheLastKnown()
    {
        var source = new SimulatedSource(Registry, seed: 9);
        var first = Assert.Single(Step(source, i => i == Sbin ? Real(Sbin, 500m) : null));

        var second = Assert.Single(Step(source, i => i == Sbin ? Real(Sbin, 900m) : null));

        Assert.Equal(SimulatedSource.GridStep, Math.Abs(second.LastPrice - first.LastPrice));
    }

    [Fact]
    public void Step_Ticks_SaySimulatedCarryNoExchangeTimeAndAreStampedNow()
    {
        var source = new SimulatedSource(Registry, seed: 1);
        _clock.Advance(TimeSpan.FromSeconds(42));

        var ticks = Step(source, i => TickBuilder.Stream(i, 100m, _clock.GetUtcNow().AddSeconds(-30), sequence: 77) with { Volume = 1000 });

        Assert.Equal(3, ticks.Length);
        Assert.All(ticks, t =>
        {
            Assert.Equal(TickSource.Simulated, t.Source);
            Assert.Null(t.ExchangeTime);
            Assert.Equal(TickFields.None, t.Fields);
            Assert.Equal(_clock.GetUtcNow(), t.ReceiveTime);
        });
    }

    [Fact]
    public void Reset_AfterWalking_RestartsFromTheLastRealPrices()
    {
        var source = new SimulatedSource(Registry, seed: 4);
        for (var i = 0; i < 20; i++)
        {
            Step(source, x => Real(x, 500m));
        }

        source.Reset();
        var ticks = Step(source, x => Real(x, 600m));

        Assert.All(ticks, t => Assert.Contains(t.LastPrice, new[] { 599.95m, 600.05m }));
    }

    [Fact]
    public void Reset_ThenInstrumentUnknown_IsSkipped()
    {
        var source = new SimulatedSource(Registry, seed: 4);
        Step(source, x => Real(x, 500m));

        source.Reset();
        var ticks = Step(source, x => x == Crude ? Real(x, 6000m) : null);

        Assert.Equal(Crude, Assert.Single(ticks).Instrument);
    }

    [Fact]
    public void Step_NullLastKnown_Throws()
    {
        var source = new SimulatedSource(Registry, seed: 1);

        Assert.Throws<ArgumentNullException>(() => source.Step(null!, _clock.GetUtcNow(), new Tick[Registry.Count]));
    }

    private static Tick? AllKnown(Instrument instrument) => instrument.Token switch
    {
        "3045" => Real(instrument, 500m),
        "2885" => Real(instrument, 2500m),
        _ => Real(instrument, 6000m),
    };

    private static Tick Real(Instrument instrument, decimal price)
    {
        var scale = (byte)Math.Max(2, (int)price.Scale);
        Assert.True(Prices.TryToUnits(price, scale, out var units));
        return new Tick(instrument, TickSource.Stream, units, scale, new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero));
    }

    private Tick[] Step(SimulatedSource source, Func<Instrument, Tick?> lastKnown)
    {
        _clock.Advance(TimeSpan.FromSeconds(1));
        var output = new Tick[Registry.Count];
        var written = source.Step(lastKnown, _clock.GetUtcNow(), output);
        return output[..written];
    }

    private List<(string Instrument, decimal Price)> Walk(SimulatedSource source, int steps, Func<Instrument, Tick?> lastKnown)
    {
        var prices = new List<(string, decimal)>();
        for (var i = 0; i < steps; i++)
        {
            prices.AddRange(Step(source, lastKnown).Select(t => (t.Instrument.Name, t.LastPrice)));
        }

        return prices;
    }
}
