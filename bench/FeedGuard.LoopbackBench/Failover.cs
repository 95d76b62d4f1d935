using System.Diagnostics;
using FeedGuard.Buffers;
using FeedGuard.Emulator;
using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.SmartApi;
using FeedGuard.Failover;
using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.SmartApi;
using FeedGuard.SmartApi.Polling;
using FeedGuard.SmartApi.Streaming;
using FeedGuard.Ticks;

namespace FeedGuard.LoopbackBench;

/// <summary>
/// Failover timing against the emulator's stall fault (socket open, nothing sent, no pong of any
/// kind): stall → first polled tick at the subscriber, and fault cleared → streaming again.
/// </summary>
internal static class Failover
{
    public sealed record Profile(string Name, SmartApiOptions Smart, MarketFeedOptions Feed);

    public sealed record FailoverResult
    {
        public required string Profile { get; init; }
        public required string Settings { get; init; }
        public double StallToDetectedSeconds { get; init; }
        public double StallToFirstPolledTickSeconds { get; init; }
        public double RestoreToStreamingSeconds { get; init; }
        public string Note { get; init; } = "";

        /// <summary>Whether both transitions were seen: the stream failed over to polling and came back.</summary>
        public bool Completed => double.IsFinite(StallToFirstPolledTickSeconds) && double.IsFinite(RestoreToStreamingSeconds);
    }

    public static Profile[] Profiles(bool includeDefault)
    {
        InstrumentKey[] instruments = [new(Exchange.Nse, "3045"), new(Exchange.Nse, "2885"), new(Exchange.Nse, "1594")];
        var emulatorDefaults = new SmartApiEmulatorOptions();
        var smart = new SmartApiOptions
        {
            ApiKey = emulatorDefaults.ApiKey,
            ClientCode = emulatorDefaults.ClientCode,
            JwtToken = emulatorDefaults.JwtToken,
            FeedToken = emulatorDefaults.FeedToken,
        };
        var feed = new MarketFeedOptions { Name = "failover", Instruments = instruments, Sessions = new SessionCalendarOptions { AlwaysOpen = true } };
        var aggressive = new Profile(
            "aggressive",
            smart with { PingInterval = TimeSpan.FromSeconds(1), PongTimeout = TimeSpan.FromSeconds(2), KeepAliveInterval = TimeSpan.FromSeconds(1), KeepAliveTimeout = TimeSpan.FromSeconds(2) },
            feed with { FrameTimeout = TimeSpan.FromSeconds(2) });
        return includeDefault ? [new Profile("default", smart, feed), aggressive] : [aggressive];
    }

    public static string Describe(Profile p) =>
        FormattableString.Invariant($"ping {p.Smart.PingInterval.TotalSeconds} s, pong deadline {p.Smart.PongTimeout.TotalSeconds} s, keep-alive {p.Smart.KeepAliveInterval.TotalSeconds}/{p.Smart.KeepAliveTimeout.TotalSeconds} s, frame timeout {p.Feed.FrameTimeout.TotalSeconds} s, health check {p.Feed.HealthCheckInterval.TotalSeconds} s, backoff {p.Feed.Reconnect.BaseDelay.TotalSeconds} s, promote window {p.Feed.PromoteWindow.TotalSeconds} s, poll interval {p.Feed.PollInterval.TotalSeconds} s");

    public static async Task<FailoverResult> RunAsync(Profile profile)
    {
        var emulatorOptions = new EmulatorOptions { TicksPerSecond = 20, SmartApi = new SmartApiEmulatorOptions { MaxSocketsPerClientCode = 10 } };
        await using var emulator = await BrokerEmulator.StartAsync(emulatorOptions, CancellationToken.None).ConfigureAwait(false);
        var smart = profile.Smart with { StreamUrl = emulator.SmartStreamUrl, RestUrl = emulator.SmartApiRestUrl };
        using var http = new HttpClient();
        var feed = new MarketFeed(profile.Feed, new SmartApiStreamingSource(smart), new SmartApiPollingSource(smart, http));
        await using (feed.ConfigureAwait(false))
        {
            var subscription = feed.Subscribe(new SubscriptionOptions { Name = "failover", Policy = BufferPolicy.DropOldest });
            long lastStreamTickAt = 0;
            long firstPollTickAt = 0;
            using var stop = new CancellationTokenSource();
            var consumer = Task.Run(
                async () =>
                {
                    try
                    {
                        await foreach (var tick in subscription.WithCancellation(stop.Token).ConfigureAwait(false))
                        {
                            var now = Stopwatch.GetTimestamp();
                            if (tick.Source == TickSource.Stream)
                            {
                                Volatile.Write(ref lastStreamTickAt, now);
                            }
                            else if (tick.Source == TickSource.Poll)
                            {
                                Interlocked.CompareExchange(ref firstPollTickAt, now, 0);
                            }
                        }
                    }
                    catch (OperationCanceledException)
                    {
                    }
                },
                CancellationToken.None);

            await feed.StartAsync().ConfigureAwait(false);
            if (!await WaitAsync(() => feed.State == FeedState.Streaming && Volatile.Read(ref lastStreamTickAt) != 0, TimeSpan.FromSeconds(30)).ConfigureAwait(false))
            {
                return Failed(profile, "never reached streaming");
            }

            await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            Interlocked.Exchange(ref firstPollTickAt, 0);
            var stalledAt = Stopwatch.GetTimestamp();
            var fault = emulator.Faults.Inject(new FaultSpec(FaultKind.Stall));
            long detectedAt = 0;
            var polled = await WaitAsync(
                () =>
                {
                    if (detectedAt == 0 && feed.State != FeedState.Streaming)
                    {
                        detectedAt = Stopwatch.GetTimestamp();
                    }

                    return Volatile.Read(ref firstPollTickAt) != 0;
                },
                TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            emulator.Faults.Clear(fault.Id);
            var restoredAt = Stopwatch.GetTimestamp();
            if (!polled)
            {
                return Failed(profile, "no polled tick within 90 s of the stall");
            }

            var streaming = await WaitAsync(() => feed.State == FeedState.Streaming, TimeSpan.FromSeconds(150)).ConfigureAwait(false);
            var streamingAt = Stopwatch.GetTimestamp();
            await stop.CancelAsync().ConfigureAwait(false);
            await consumer.ConfigureAwait(false);
            return new FailoverResult
            {
                Profile = profile.Name,
                Settings = Describe(profile),
                StallToDetectedSeconds = Stopwatch.GetElapsedTime(stalledAt, detectedAt).TotalSeconds,
                StallToFirstPolledTickSeconds = Stopwatch.GetElapsedTime(stalledAt, firstPollTickAt).TotalSeconds,
                RestoreToStreamingSeconds = streaming ? Stopwatch.GetElapsedTime(restoredAt, streamingAt).TotalSeconds : double.NaN,
                Note = streaming ? $"reconnects {feed.GetStreamStatus().Counters.Reconnects}" : "not streaming 150 s after the restore",
            };
        }
    }

    private static FailoverResult Failed(Profile profile, string why) => new() { Profile = profile.Name, Settings = Describe(profile), StallToDetectedSeconds = double.NaN, StallToFirstPolledTickSeconds = double.NaN, RestoreToStreamingSeconds = double.NaN, Note = why };

    private static async Task<bool> WaitAsync(Func<bool> condition, TimeSpan limit)
    {
        var start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(start) > limit)
            {
                return false;
            }

            await Task.Delay(5).ConfigureAwait(false);
        }

        return true;
    }
}
