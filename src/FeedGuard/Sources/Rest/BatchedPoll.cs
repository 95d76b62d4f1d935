using FeedGuard.Instruments;

namespace FeedGuard.Sources.Rest;

/// <summary>
/// One poll of a broker's REST quotes, split into batches of at most the broker's size per
/// request, each paced by a <see cref="RequestPacer"/>. An auth failure fails the whole poll (nothing
/// else would succeed). A rate limit stops the poll: it fails when no batch was answered, and
/// otherwise the answered batches are delivered and the rest become misses (the pacer's cooldown then
/// fails the next poll at once, without a request). Any other failure fails the poll only when no batch
/// succeeded, and otherwise turns the failed batch's instruments into misses. Every instrument the
/// poll did not answer is reported as a miss with the broker's reason. Polls run one at a time.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The SemaphoreSlim never creates its wait handle, so it holds nothing to dispose.")]
public sealed class BatchedPoll
{
    private readonly RequestPacer _pacer;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the poller over a pacer it uses for every request.</summary>
    public BatchedPoll(RequestPacer pacer)
    {
        ArgumentNullException.ThrowIfNull(pacer);
        _pacer = pacer;
    }

    /// <summary>How many requests <paramref name="instruments"/> instruments need at <paramref name="batchSize"/> a request.</summary>
    public static int Batches(int instruments, int batchSize) => (instruments + batchSize - 1) / batchSize;

    /// <summary>The least time a poll of <paramref name="instruments"/> instruments takes: the spacing between its requests (their own time comes on top).</summary>
    public TimeSpan MinimumDuration(int instruments, int batchSize) => _pacer.Spacing * Math.Max(0, Batches(instruments, batchSize) - 1);

    /// <summary>Polls <paramref name="pollable"/> in batches and accounts for every instrument of <paramref name="all"/>.</summary>
    /// <param name="all">Every requested instrument; each one nobody answered becomes a miss.</param>
    /// <param name="pollable">The instruments the broker can be asked for, in request order.</param>
    /// <param name="batchSize">Instruments per request; positive.</param>
    /// <param name="fetch">Sends one batch and adds what came back to the collector; throws <see cref="FeedConnectionException"/> classified.</param>
    /// <param name="unanswered">The miss message for an instrument no batch answered.</param>
    /// <param name="batchFailed">Told of a failed batch (1-based number, count, failure) that did not fail the poll, for logging.</param>
    /// <param name="cancellationToken">Cancels the poll.</param>
    public async ValueTask<PollResult> PollAsync(
        IReadOnlyList<Instrument> all,
        Instrument[] pollable,
        int batchSize,
        Func<ReadOnlyMemory<Instrument>, PollCollector, CancellationToken, Task> fetch,
        Func<Instrument, string> unanswered,
        Action<int, int, FeedConnectionException> batchFailed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(pollable);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(unanswered);
        ArgumentNullException.ThrowIfNull(batchFailed);

        var collector = new PollCollector(pollable.Length);
        var batches = Batches(pollable.Length, batchSize);
        FeedConnectionException? firstFailure = null;
        var succeeded = 0;

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var b = 0; b < batches; b++)
            {
                var batch = pollable.AsMemory(b * batchSize, Math.Min(batchSize, pollable.Length - (b * batchSize)));
                try
                {
                    await _pacer.SendAsync(ct => fetch(batch, collector, ct), cancellationToken).ConfigureAwait(false);
                    succeeded++;
                }
                catch (FeedConnectionException ex) when (ex.Reason == DisconnectReason.RateLimited && succeeded > 0)
                {
                    // The batches answered before the limit are fresh quotes: keep them, and ask for nothing more.
                    foreach (var instrument in pollable.AsSpan(b * batchSize))
                    {
                        collector.Miss(instrument, ex.Message);
                    }

                    break;
                }
                catch (FeedConnectionException ex) when (ex.Reason is not (DisconnectReason.RateLimited or DisconnectReason.AuthRejected))
                {
                    batchFailed(b + 1, batches, ex);
                    firstFailure ??= ex;
                    foreach (var instrument in batch.Span)
                    {
                        collector.Miss(instrument, ex.Message);
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (succeeded == 0 && firstFailure is not null)
        {
            throw firstFailure;
        }

        foreach (var instrument in all)
        {
            if (!collector.Answered.Contains(instrument))
            {
                collector.Misses.Add(new PollMiss(instrument, unanswered(instrument)));
            }
        }

        return new PollResult(collector.Ticks, collector.Misses);
    }
}
