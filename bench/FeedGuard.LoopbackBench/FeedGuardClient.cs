using FeedGuard.Buffers;
using FeedGuard.Health;
using FeedGuard.SmartApi;
using FeedGuard.SmartApi.Streaming;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.LoopbackBench;

/// <summary>
/// (c) FeedGuard: a streaming source → <see cref="MarketFeed"/> (tier check, dedup gate,
/// instrument book) → hub → one subscriber with <paramref name="policy"/>, read the way a busy strategy
/// reads it (<c>WaitToReadAsync</c> then <c>TryReadBatch</c> until empty), or, for
/// <see cref="BufferPolicy.Inline"/>, a handler called on the ingest path with each batch. One-packet messages go
/// through the real <see cref="SmartApiStreamingSource"/>; multi-packet frames, which SmartStream
/// never sends, go through <see cref="BatchedSmartSource"/>, the shape a Kite source will have.
/// </summary>
/// <remarks>
/// The consumer passes its cancellation token to <c>WaitToReadAsync</c>, as a strategy would;
/// <paramref name="passToken"/> false reads with <see cref="CancellationToken.None"/> instead (a
/// diagnostic for the allocation profile: the channel can reuse its waiter only then).
/// </remarks>
internal sealed class FeedGuardClient(BufferPolicy policy, bool passToken = true) : IClient
{
    public string Name => policy switch
    {
        BufferPolicy.Wait => "c: FeedGuard, wait (lossless)",
        BufferPolicy.Inline => "c: FeedGuard, inline handler",
        _ => "c: FeedGuard, latest-per-instrument",
    } + (passToken ? "" : ", no token");

    public async Task<string> RunAsync(Uri url, Scenario scenario, Recorder recorder, TimeSpan timeout)
    {
        IStreamingSource source = scenario.Batch == 1
            ? new SmartApiStreamingSource(new SmartApiOptions
            {
                StreamUrl = url,
                ApiKey = "bench",
                ClientCode = "BENCH",
                JwtToken = "bench",
                FeedToken = "bench",
            })
            : new BatchedSmartSource(url);
        var options = new MarketFeedOptions
        {
            Name = "bench",
            Instruments = Wire.Keys(scenario.Instruments),
            Sessions = new SessionCalendarOptions { AlwaysOpen = true },
        };
        var feed = new MarketFeed(options, source);
        await using (feed.ConfigureAwait(false))
        {
            using var cts = new CancellationTokenSource(timeout);
            if (policy == BufferPolicy.Inline)
            {
                // No consumer task: the recorder runs on the ingest path, as the floor's decode loop does.
                using var inline = feed.SubscribeInline(ticks => Record(ticks, recorder), new InlineSubscriptionOptions { Name = "bench" });
                await feed.StartAsync(cts.Token).ConfigureAwait(false);
                var done = await Task.WhenAny(recorder.Done, Task.Delay(timeout, CancellationToken.None)).ConfigureAwait(false) == recorder.Done;
                var c = feed.GetStreamStatus().Counters;
                var summary = $"delivered {c.Delivered:N0}, handler errors {inline.Errors:N0}, slow calls {inline.SlowCalls:N0}, dups {c.DuplicatesDropped:N0}, stale {c.StaleDropped:N0}, malformed {c.Malformed:N0}";
                return done ? summary : "timed out; " + summary;
            }

            var subscription = feed.Subscribe(new SubscriptionOptions { Name = "bench", Policy = policy, Capacity = 10_000 });
            var consumer = Task.Run(() => ConsumeAsync(subscription, recorder, passToken ? cts.Token : CancellationToken.None), CancellationToken.None);
            await feed.StartAsync(cts.Token).ConfigureAwait(false);
            var finished = await Task.WhenAny(recorder.Done, Task.Delay(timeout, CancellationToken.None)).ConfigureAwait(false) == recorder.Done;
            await cts.CancelAsync().ConfigureAwait(false);
            if (!passToken)
            {
                // Without a token the reader leaves when its buffer completes.
                await subscription.DisposeAsync().ConfigureAwait(false);
            }

            try
            {
                await consumer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            var status = feed.GetStreamStatus();
            var counters = status.Counters;
            var note = $"delivered {counters.Delivered:N0}, dropped by policy {subscription.Dropped:N0}, dups {counters.DuplicatesDropped:N0}, stale {counters.StaleDropped:N0}, malformed {counters.Malformed:N0}";
            await subscription.DisposeAsync().ConfigureAwait(false);
            return finished ? note : "timed out; " + note;
        }
    }

    private static async Task ConsumeAsync(TickSubscription subscription, Recorder recorder, CancellationToken cancellationToken)
    {
        var batch = new Tick[256];
        while (!recorder.Done.IsCompleted && await subscription.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Drain(subscription, batch, recorder);
        }
    }

    // Not async: a span cannot live across an await.
    private static void Drain(TickSubscription subscription, Tick[] batch, Recorder recorder)
    {
        int read;
        while ((read = subscription.TryReadBatch(batch)) > 0)
        {
            Record(batch.AsSpan(0, read), recorder);
        }
    }

    private static void Record(ReadOnlySpan<Tick> ticks, Recorder recorder)
    {
        foreach (ref readonly var tick in ticks)
        {
            recorder.OnTick(tick);
        }
    }
}
