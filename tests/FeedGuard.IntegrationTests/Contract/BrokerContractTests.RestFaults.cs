using System.Diagnostics;
using FeedGuard.Emulator.Faults;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.Contract;

// REST faults while the stream is down: what polling does when the fallback itself fails or slows.
public abstract partial class BrokerContractTests
{
    [Fact]
    public async Task RestError_WhileTheStreamIsDown_ShowsErrorThenPollingThenStreaming()
    {
        await using var rig = await StartRigAsync();
        await rig.WaitStreamingAsync();
        var start = Stopwatch.GetTimestamp();

        var restError = rig.Inject(new FaultSpec(FaultKind.RestError) { StatusCode = 503 });
        var drop = rig.Inject(new FaultSpec(FaultKind.Drop) { Duration = Forever });

        // The timeline says why: polling failed with the broker's status. (last_error may already show a
        // later failed reconnect of the stream, which is the newest failure.)
        await Eventually.UntilAsync(() => rig.Events.FirstChangeTo(FeedState.Error, start) is not null, TimeSpan.FromSeconds(5), () => "error; status " + rig.StatusJson);
        var toError = rig.Events.ModeChanges(start).First(c => c.To == FeedState.Error);
        Assert.Equal(DisconnectReason.NetworkError, toError.Reason);
        Assert.Contains("polling failed 3 times in a row", toError.Message, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", toError.Message, StringComparison.Ordinal);

        rig.Clear(restError.Id);
        await Eventually.UntilAsync(() => rig.State == FeedState.Polling, TimeSpan.FromSeconds(5), () => "polling again; status " + rig.StatusJson);
        await rig.EveryInstrumentServedAsync(Stopwatch.GetTimestamp(), TickSource.Poll, "polled ticks");

        rig.Clear(drop.Id);
        await Eventually.UntilAsync(() => rig.Events.FirstChangeTo(FeedState.Streaming, start) is not null, FailoverDrill.RestoreBound, () => "streaming again; status " + rig.StatusJson);
        Assert.Collection(
            rig.Events.ModeChanges(start),
            c => Assert.Equal((FeedState.Streaming, FeedState.Polling, DisconnectReason.NetworkError), (c.From, c.To, c.Reason)),
            c => Assert.Equal((FeedState.Polling, FeedState.Error, DisconnectReason.NetworkError), (c.From, c.To, c.Reason)),
            c => Assert.Equal((FeedState.Error, FeedState.Polling, DisconnectReason.None), (c.From, c.To, c.Reason)),
            c => Assert.Equal((FeedState.Polling, FeedState.Streaming, DisconnectReason.None), (c.From, c.To, c.Reason)));
        await FailoverDrill.AssertIntegrityAsync(rig);
    }

    [Fact]
    public async Task RestSlow_WithinTheRequestTimeout_KeepsPollingServing()
    {
        await using var rig = await StartRigAsync();
        long drop = 0;
        var slow = rig.Inject(new FaultSpec(FaultKind.RestSlow) { Delay = TimeSpan.FromMilliseconds(600) });

        var result = await FailoverDrill.RunAsync(rig, () => drop = rig.Inject(new FaultSpec(FaultKind.Drop) { Duration = Forever }).Id, () => rig.Clear(drop), TimeSpan.FromSeconds(5));

        Output.WriteLine(result.ToString());
        FailoverDrill.AssertSimpleStory(result, DisconnectReason.NetworkError);
        Assert.True(result.ToFirstPolledTick >= TimeSpan.FromMilliseconds(550), $"first polled tick after {result.ToFirstPolledTick}, faster than the broker answers");
        rig.Clear(slow.Id);
        await FailoverDrill.AssertIntegrityAsync(rig);
    }

    [Fact]
    public async Task RestSlow_BeyondTheRequestTimeout_TimesOutToErrorAndRecovers()
    {
        await using var rig = await StartRigAsync(new RigSettings { Client = new ClientSettings { PollRequestTimeout = TimeSpan.FromMilliseconds(400) } });
        await rig.WaitStreamingAsync();
        var start = Stopwatch.GetTimestamp();

        var slow = rig.Inject(new FaultSpec(FaultKind.RestSlow) { Delay = TimeSpan.FromSeconds(2) });
        var drop = rig.Inject(new FaultSpec(FaultKind.Drop) { Duration = Forever });

        // The change to error says why: the polls timed out. (last_error may already show a later
        // failed reconnect of the stream, which is the newest failure.)
        await Eventually.UntilAsync(() => rig.Events.FirstChangeTo(FeedState.Error, start) is not null, TimeSpan.FromSeconds(8), () => "error; status " + rig.StatusJson);
        var toError = rig.Events.ModeChanges(start).First(c => c.To == FeedState.Error);
        Assert.Equal(DisconnectReason.NetworkError, toError.Reason);
        Assert.Contains("timed out after 0.4 s", toError.Message, StringComparison.Ordinal);

        rig.Clear(slow.Id);
        rig.Clear(drop.Id);
        await Eventually.UntilAsync(() => rig.Events.FirstChangeTo(FeedState.Streaming, start) is not null, FailoverDrill.RestoreBound, () => "streaming again; status " + rig.StatusJson);
        Assert.Equal((FeedState.Polling, FeedState.Error), (rig.Events.ModeChanges(start)[1].From, rig.Events.ModeChanges(start)[1].To));
        await FailoverDrill.AssertIntegrityAsync(rig);
    }
}
