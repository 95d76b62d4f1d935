using FeedGuard.Emulator.Faults;
using FeedGuard.Failover;
using FeedGuard.SmartApi;
using FeedGuard.Sources;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>Rejected credentials: status error with the broker's own words, and no retry storm.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class SmartApiAuthTests
{
    private const string BrokerMessage = "Invalid Header - Invalid Feed Token";

    [Fact]
    public async Task AuthReject_WhileStreaming_EndsInErrorWithTheServersMessageAndStopsRetrying()
    {
        await using var rig = await SmartApiRig.StartAsync();
        await rig.WaitStreamingAsync();

        rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.AuthReject) { Message = BrokerMessage });
        rig.Emulator.Faults.Inject(new FaultSpec(FaultKind.Drop));

        await Eventually.UntilAsync(() => rig.State == FeedState.Error, TimeSpan.FromSeconds(5), () => "error; status " + rig.StatusJson);
        var status = rig.Feed.GetStreamStatus();
        Assert.Equal(DisconnectReason.AuthRejected, status.LastError?.Reason);
        Assert.True(status.AuthBlocked);

        // Whichever asked first after the drop (the poll at once, or the reconnect), the broker's words reach the user.
        Assert.True(
            status.LastError!.Message.Contains(BrokerMessage, StringComparison.Ordinal) || status.LastError.Message.Contains("Invalid Token (AG8001)", StringComparison.Ordinal),
            status.LastError.Message);
        await Eventually.UntilAsync(() => rig.Events.ModeChanges() is [.., { To: FeedState.Error }], TimeSpan.FromSeconds(2), () => "the change to error read");
        var last = rig.Events.ModeChanges()[^1];
        Assert.Equal((FeedState.Error, DisconnectReason.AuthRejected), (last.To, last.Reason));

        await AssertNoRetryStormAsync(rig);
    }

    [Fact]
    public async Task AuthReject_AtStart_EndsInErrorWithTheHandshakeMessage()
    {
        await using var rig = await SmartApiRig.StartAsync(new RigSettings { Client = o => o with { FeedToken = "FT-wrong-0000" } });

        await Eventually.UntilAsync(() => rig.State == FeedState.Error, TimeSpan.FromSeconds(5), () => "error; status " + rig.StatusJson);

        var status = rig.Feed.GetStreamStatus();
        Assert.Equal(DisconnectReason.AuthRejected, status.LastError?.Reason);
        Assert.Equal("SmartStream rejected the credentials (HTTP 401): " + BrokerMessage, status.LastError!.Message);
        await Eventually.UntilAsync(() => rig.Events.ModeChanges().Count > 0, TimeSpan.FromSeconds(2), () => "the change to error read");
        Assert.Collection(
            rig.Events.ModeChanges(),
            c => Assert.Equal((FeedState.Connecting, FeedState.Error, DisconnectReason.AuthRejected), (c.From, c.To, c.Reason)));
        Assert.Equal(1, rig.Emulator.Counters.HandshakesRejected);
        await AssertNoRetryStormAsync(rig);
    }

    private static async Task AssertNoRetryStormAsync(SmartApiRig rig)
    {
        var counters = rig.Emulator.Counters;
        var handshakes = counters.HandshakesRejected + counters.ConnectionsAccepted;
        var rest = counters.RestRequestsRejected + counters.RestRequestsServed;

        // Five times the first backoff, and longer than the whole first round of reconnects.
        await Eventually.AlwaysAsync(
            () => counters.HandshakesRejected + counters.ConnectionsAccepted == handshakes && counters.RestRequestsRejected + counters.RestRequestsServed == rest,
            TimeSpan.FromSeconds(3),
            () => $"no handshake or REST request after the rejection; handshakes {counters.HandshakesRejected}+{counters.ConnectionsAccepted}, REST {counters.RestRequestsRejected}+{counters.RestRequestsServed}");
        Assert.Equal(FeedState.Error, rig.State);
        Assert.Null(rig.Feed.GetStreamStatus().NextReconnectAt);
    }
}
