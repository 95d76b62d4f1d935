using FeedGuard.Instruments;
using FeedGuard.SmartApi.Streaming;

namespace FeedGuard.SmartApi.Tests.Streaming;

public class SubscriptionPlannerTests
{
    private static readonly SmartApiOptions Options = new();

    internal static InstrumentRegistry Instruments(int count, Exchange exchange = Exchange.Nse) =>
        new(Enumerable.Range(1, count).Select(i => new InstrumentKey(exchange, (10_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))));

    [Fact]
    public void Plan_2500Instruments_UsesThreeSocketsOfAtMost1000AndCoversEachOnce()
    {
        var registry = Instruments(2500);

        var shards = SubscriptionPlanner.Plan(registry.All, Options);

        Assert.Equal(3, shards.Length);
        Assert.All(shards, s => Assert.InRange(s.Length, 833, 1000));
        Assert.Equal(registry.All.OrderBy(i => i.Id), shards.SelectMany(s => s).OrderBy(i => i.Id));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1000, 1)]
    [InlineData(1001, 2)]
    [InlineData(3000, 3)]
    public void Plan_UsesTheFewestSocketsThatFit(int count, int sockets)
    {
        var shards = SubscriptionPlanner.Plan(Instruments(count).All, Options);

        Assert.Equal(sockets, shards.Length);
        Assert.All(shards, s => Assert.True(s.Length <= 1000));
        Assert.Equal(count, shards.Sum(s => s.Length));
    }

    [Fact]
    public void Plan_SmallerConfiguredLimit_IsRespected()
    {
        var shards = SubscriptionPlanner.Plan(Instruments(25).All, Options with { MaxTokensPerSocket = 10 });

        Assert.Equal([9, 8, 8], shards.Select(s => s.Length));
    }

    [Fact]
    public void Validate_3001Instruments_SaysTheLimit()
    {
        var errors = SubscriptionPlanner.Validate(Instruments(3001).All, Options);

        var error = Assert.Single(errors);
        Assert.Contains("at most 3000 instruments", error, StringComparison.Ordinal);
        Assert.Contains("3001", error, StringComparison.Ordinal);
        Assert.Contains("FeedGuard:SmartApi:MaxSockets", error, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => SubscriptionPlanner.Plan(Instruments(3001).All, Options));
    }

    [Fact]
    public void Validate_ExchangeSmartApiDoesNotServe_NamesIt()
    {
        var registry = new InstrumentRegistry([new InstrumentKey(Exchange.Nse, "3045"), new InstrumentKey(Exchange.Bcd, "1"), new InstrumentKey(Exchange.Mcxsx, "2")]);

        var error = Assert.Single(SubscriptionPlanner.Validate(registry.All, Options));

        Assert.Contains("BCD, MCXSX", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_3000Instruments_IsFine()
    {
        Assert.Empty(SubscriptionPlanner.Validate(Instruments(3000).All, Options));
    }
}
