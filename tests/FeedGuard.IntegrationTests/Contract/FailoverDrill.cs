using System.Diagnostics;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.SmartApi;

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
internal static class Failover
{
    public static readonly TimeSpan RestoreBound = TimeSpan.FromSeconds(15);

    /// <param name="rig">A started rig.</param>
    /// <param name="inject">Starts the fault.</param>
    /// <param name="clear">Ends the fault, once polling has served every instrument (null when the fault ends by itself).</param>
    /// <param name="failoverBound">How long the switch to polling (and the first polled tick) may take.</param>
    public static async Task<FailoverResult> RunAsync(SmartApiRig rig, Action inject, Action? clear, TimeSpan failoverBound)
    {
        await rig.WaitStreamingAsync();
        var start = Stopwatch.GetTimestamp();
        inject();

        await Eventually.UntilAsync(() => rig.Events.FirstChangeTo(FeedState.Polling, start) is not null, failoverBound, () => "polling; status " + rig.StatusJson);
        await Eventually.UntilAsync(() => rig.Ticks.FirstAt(TickSource.Poll, start) is not null, failoverBound, () => "a polled tick; status " + rig.StatusJson);

        // The data keeps flowing during the fault: every instrument is served by polling.
        await Eventually.UntilAsync(
            () => rig.Feed.Instruments.All.All(i => rig.Ticks.Since(start, TickSource.Poll).Any(t => t.Instrument == i)),
            TimeSpan.FromSeconds(5),
            () => "polled ticks for every instrument; status " + rig.StatusJson);
        Assert.Equal(FeedState.Polling, rig.State);

        var ended = Stopwatch.GetTimestamp();
        clear?.Invoke();
        await Eventually.UntilAsync(() => rig.Events.FirstChangeTo(FeedState.Streaming, start) is not null, RestoreBound, () => "streaming again; status " + rig.StatusJson);
        var restored = rig.Events.FirstChangeTo(FeedState.Streaming, start)!.Value;

        // Back on the stream: fresh stream ticks for every instrument after the switch.
        await Eventually.UntilAsync(
            () => rig.Feed.Instruments.All.All(i => rig.Ticks.Since(restored, TickSource.Stream).Any(t => t.Instrument == i)),
            TimeSpan.FromSeconds(5),
            () => "stream ticks for every instrument after recovery; status " + rig.StatusJson);

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

    /// <summary>No duplicate and no backward tick per instrument, and every stream tick is one the broker sent.</summary>
    public static void AssertIntegrity(SmartApiRig rig)
    {
        Assert.True(rig.Ticks.Violations.Count == 0, string.Join(Environment.NewLine, rig.Ticks.Violations));
        foreach (var instrument in rig.Feed.Instruments.All)
        {
            var sent = new Dictionary<long, FeedGuard.Emulator.Market.SentTick>();
            foreach (var packet in rig.Emulator.GetSentTicks(1, instrument.Token))
            {
                sent.TryAdd(packet.Sequence, packet);
            }

            // A packet is logged just after its send completes: the newest may not be logged yet.
            var logged = sent.Count == 0 ? 0 : sent.Keys.Max();
            foreach (var tick in rig.Ticks.All().Where(t => t.Instrument == instrument && t.Source == TickSource.Stream && t.Sequence <= logged))
            {
                Assert.True(sent.TryGetValue(tick.Sequence!.Value, out var packet), $"{instrument.Name} seq {tick.Sequence} was never sent");
                Assert.Equal(packet.LastTradedPrice, tick.LastPriceUnits);
                Assert.Equal(packet.ExchangeTimeMs, tick.ExchangeTime!.Value.ToUnixTimeMilliseconds());
            }
        }
    }
}
