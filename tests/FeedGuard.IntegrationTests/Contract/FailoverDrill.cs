using System.Diagnostics;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.Contract;

/// <summary>What one fault looked like to a user of the feed, with the test clock's timings.</summary>
/// <param name="ToPolling">Fault start → the feed says polling.</param>
/// <param name="ToFirstPolledTick">Fault start → the first Source=Poll tick reaches a subscriber.</param>
/// <param name="Restore">Fault end → the feed says streaming again.</param>
/// <param name="Changes">Every mode change from fault start until streaming again.</param>
internal sealed record FailoverResult(TimeSpan ToPolling, TimeSpan ToFirstPolledTick, TimeSpan Restore, IReadOnlyList<ModeChangedEvent> Changes)
{
    public override string ToString() =>
        $"fault → polling {ToPolling.TotalMilliseconds:0} ms, fault → first polled tick {ToFirstPolledTick.TotalMilliseconds:0} ms, " +
        $"fault end → streaming {Restore.TotalMilliseconds:0} ms; changes: {string.Join(" | ", Changes.Select(c => c.Describe()))}";
}

/// <summary>
/// One fault, start to finish, as a user sees it: streaming; the fault; polling within a bound with
/// polled ticks for every instrument; the fault ends; streaming again with fresh stream ticks.
/// </summary>
internal static class FailoverDrill
{
    public static readonly TimeSpan RestoreBound = TimeSpan.FromSeconds(15);

    /// <param name="rig">A started rig.</param>
    /// <param name="inject">Starts the fault.</param>
    /// <param name="clear">Ends the fault, once polling has served every instrument (null when the fault ends by itself).</param>
    /// <param name="failoverBound">How long the switch to polling (and the first polled tick) may take.</param>
    public static async Task<FailoverResult> RunAsync(BrokerRig rig, Action inject, Action? clear, TimeSpan failoverBound)
    {
        await rig.WaitStreamingAsync();
        var start = Stopwatch.GetTimestamp();
        inject();

        await Eventually.UntilAsync(() => rig.Events.FirstChangeTo(FeedState.Polling, start) is not null, failoverBound, () => "polling; status " + rig.StatusJson);
        await Eventually.UntilAsync(() => rig.Ticks.FirstAt(TickSource.Poll, start) is not null, failoverBound, () => "a polled tick; status " + rig.StatusJson);

        // The data keeps flowing during the fault: every instrument is served by polling.
        await rig.EveryInstrumentServedAsync(start, TickSource.Poll, "polled ticks for every instrument");
        Assert.Equal(FeedState.Polling, rig.State);

        var ended = Stopwatch.GetTimestamp();
        clear?.Invoke();
        await Eventually.UntilAsync(() => rig.Events.FirstChangeTo(FeedState.Streaming, start) is not null, RestoreBound, () => "streaming again; status " + rig.StatusJson);
        var restored = rig.Events.FirstChangeTo(FeedState.Streaming, start)!.Value;

        // Back on the stream: fresh stream ticks for every instrument after the switch.
        await rig.EveryInstrumentServedAsync(restored, TickSource.Stream, "stream ticks for every instrument after recovery");

        return new FailoverResult(
            Stopwatch.GetElapsedTime(start, rig.Events.FirstChangeTo(FeedState.Polling, start)!.Value),
            Stopwatch.GetElapsedTime(start, rig.Ticks.FirstAt(TickSource.Poll, start)!.Value),
            restored > ended ? Stopwatch.GetElapsedTime(ended, restored) : TimeSpan.Zero,
            rig.Events.ModeChanges(start));
    }

    /// <summary>The user-visible story of a simple fault: exactly streaming → polling (reason) → streaming.</summary>
    public static void AssertSimpleStory(FailoverResult result, DisconnectReason reason)
    {
        Assert.Collection(
            result.Changes,
            c => Assert.Equal((FeedState.Streaming, FeedState.Polling, reason), (c.From, c.To, c.Reason)),
            c => Assert.Equal((FeedState.Polling, FeedState.Streaming, DisconnectReason.None), (c.From, c.To, c.Reason)));
    }

    /// <summary>
    /// No duplicate and no backward tick per instrument, and every stream tick decodes to a packet the
    /// broker sent (price and exchange time, and sequence where the protocol has one).
    /// </summary>
    public static async Task AssertIntegrityAsync(BrokerRig rig)
    {
        Assert.True(rig.Ticks.Violations.Count == 0, string.Join(Environment.NewLine, rig.Ticks.Violations));
        var received = rig.Ticks.All().Where(t => t.Source == TickSource.Stream).ToList();
        Assert.NotEmpty(received);

        // A packet is logged just after its send completes: the newest ones may not be logged yet.
        string? missing = null;
        await Eventually.UntilAsync(() => (missing = FirstNeverSent(rig, received)) is null, TimeSpan.FromSeconds(2), () => missing!);
    }

    private static string? FirstNeverSent(BrokerRig rig, IReadOnlyList<Tick> received)
    {
        foreach (var group in received.GroupBy(t => t.Instrument))
        {
            var sent = rig.Broker.SentPackets(rig.Emulator, group.Key).ToHashSet();
            foreach (var tick in group)
            {
                if (!sent.Contains(rig.Broker.KeyOf(tick)))
                {
                    return $"{group.Key.Name}: stream tick {tick} ({rig.Broker.KeyOf(tick)}) matches no packet the emulator sent ({sent.Count} logged)";
                }
            }
        }

        return null;
    }
}
