using FeedGuard.Instruments;
using FeedGuard.Sources.Sockets;

namespace FeedGuard.Tests.Sources.Sockets;

public sealed class ShardPlanTests
{
    private static Instrument[] Instruments(int count) =>
        count == 0 ? [] : [.. new InstrumentRegistry(Enumerable.Range(1, count).Select(i => InstrumentKey.Parse($"NSE:{i}"))).All];

    [Theory]
    [InlineData(7, 3, new[] { 3, 2, 2 })]
    [InlineData(6, 3, new[] { 3, 3 })]
    [InlineData(3, 3, new[] { 3 })]
    [InlineData(1, 3000, new[] { 1 })]
    [InlineData(0, 3, new[] { 0 })]
    public void Split_FewestSocketsWithSizesDifferingByAtMostOne(int count, int perSocket, int[] sizes) =>
        Assert.Equal(sizes, ShardPlan.Split(Instruments(count), perSocket).Select(s => s.Length));

    [Fact]
    public void Split_KeepsOrderAndEveryInstrumentOnce()
    {
        var instruments = Instruments(10);

        Assert.Equal(instruments, ShardPlan.Split(instruments, 4).SelectMany(s => s));
    }

    [Fact]
    public void Split_NonPositiveSize_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShardPlan.Split(Instruments(1), 0));
}
