using System.Text;
using FeedGuard.Instruments;
using FeedGuard.SmartApi.Streaming;
using FeedGuard.Ticks;

namespace FeedGuard.SmartApi.Tests.Streaming;

public class SubscribeRequestTests
{
    [Fact]
    public void Build_GroupsTokensByExchangeTypeInTheDocumentedShape()
    {
        var registry = new InstrumentRegistry(
        [
            new InstrumentKey(Exchange.Nse, "10626"),
            new InstrumentKey(Exchange.Mcx, "234230"),
            new InstrumentKey(Exchange.Nse, "5290"),
            new InstrumentKey(Exchange.Cds, "1"),
        ]);

        var json = Encoding.UTF8.GetString(SubscribeRequest.Build("feedguard1", subscribe: true, 1, registry.All));

        Assert.Equal(
            """{"correlationID":"feedguard1","action":1,"params":{"mode":1,"tokenList":[{"exchangeType":1,"tokens":["10626","5290"]},{"exchangeType":5,"tokens":["234230"]},{"exchangeType":13,"tokens":["1"]}]}}""",
            json);
    }

    [Fact]
    public void Build_Unsubscribe_UsesActionZero()
    {
        var registry = new InstrumentRegistry([new InstrumentKey(Exchange.Bfo, "7")]);

        var json = Encoding.UTF8.GetString(SubscribeRequest.Build("x", subscribe: false, 3, registry.All));

        Assert.Equal("""{"correlationID":"x","action":0,"params":{"mode":3,"tokenList":[{"exchangeType":4,"tokens":["7"]}]}}""", json);
    }

    [Theory]
    [InlineData(FeedMode.Ltp, 1)]
    [InlineData(FeedMode.Quote, 2)]
    [InlineData(FeedMode.Full, 3)]
    public void ToWireMode_MapsFeedModes(FeedMode mode, byte wire)
    {
        Assert.Equal(wire, SubscribeRequest.ToWireMode(mode));
    }
}
