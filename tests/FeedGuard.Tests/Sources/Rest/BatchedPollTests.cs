using FeedGuard.Instruments;
using FeedGuard.Sources;
using FeedGuard.Sources.Rest;
using FeedGuard.Testing;

namespace FeedGuard.Tests.Sources.Rest;

public sealed class BatchedPollTests
{
    private static readonly InstrumentRegistry Registry = new(new[] { "NSE:1", "NSE:2", "NSE:3", "NSE:4", "NSE:5" }.Select(k => InstrumentKey.Parse(k)));

    private readonly WaitClock _time = new(new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero));
    private readonly RequestPacer _pacer;
    private readonly BatchedPoll _poll;
    private readonly List<int> _batchSizes = [];
    private readonly List<(int Batch, int Batches, DisconnectReason Reason)> _failed = [];

    public BatchedPollTests()
    {
        _pacer = new RequestPacer(1, TimeSpan.FromSeconds(60), "Test quote endpoint", _time);
        _poll = new BatchedPoll(_pacer);
    }

    private Instrument[] All => [.. Registry.All];

    // Answers every instrument of a batch except those listed.
    private Func<ReadOnlyMemory<Instrument>, PollCollector, CancellationToken, Task> Answer(Func<int, Exception?>? failBatch = null, params string[] silent) =>
        (batch, into, _) =>
        {
            _batchSizes.Add(batch.Length);
            if (failBatch?.Invoke(_batchSizes.Count) is { } failure)
            {
                throw failure;
            }

            foreach (var instrument in batch.Span)
            {
                if (!silent.Contains(instrument.Key.ToString()))
                {
                    into.Ticks.Add(TickBuilder.Poll(instrument, 100m, _time.GetUtcNow()));
                    into.Answered.Add(instrument);
                }
            }

            return Task.CompletedTask;
        };

    // Moves the clock a spacing on each time the poll starts waiting for its next batch's turn (pacing
    // itself is RequestPacerTests' business).
    private Task<PollResult> PollAsync(Instrument[] pollable, int batchSize, Func<ReadOnlyMemory<Instrument>, PollCollector, CancellationToken, Task> fetch)
    {
        var poll = _poll.PollAsync(All, pollable, batchSize, fetch, i => $"no answer for {i.Key}", (b, n, ex) => _failed.Add((b, n, ex.Reason)), CancellationToken.None).AsTask();
        for (var turn = 1; !poll.IsCompleted && turn < 100; turn++)
        {
            _time.WaitForTimers(_pacer.Spacing, turn, () => poll.IsCompleted);
            _time.Advance(_pacer.Spacing);
        }

        return poll;
    }

    [Fact]
    public async Task PollAsync_SplitsIntoBatchesAndReportsWhatNobodyAnswered()
    {
        var result = await PollAsync(All[..4], 3, Answer(null, "NSE:2"));

        Assert.Equal([3, 1], _batchSizes);
        Assert.Equal(["NSE:1", "NSE:3", "NSE:4"], result.Ticks.Select(t => t.Instrument.Key.ToString()));
        Assert.Equal(["no answer for NSE:2", "no answer for NSE:5"], result.Unfetched.Select(m => m.Message));
    }

    [Fact]
    public async Task PollAsync_FailedBatchAfterAnotherSucceeded_TurnsItsInstrumentsIntoMisses()
    {
        var result = await PollAsync(All, 2, Answer(n => n == 2 ? new FeedConnectionException(DisconnectReason.NetworkError, "HTTP 502") : null));

        Assert.Equal([2, 2, 1], _batchSizes);
        Assert.Equal(3, result.Ticks.Count);
        Assert.Equal([("NSE:3", "HTTP 502"), ("NSE:4", "HTTP 502")], result.Unfetched.Select(m => (m.Instrument.Key.ToString(), m.Message)));
        Assert.Equal([(2, 3, DisconnectReason.NetworkError)], _failed);
    }

    [Fact]
    public async Task PollAsync_EveryBatchFailed_ThrowsTheFirstFailure()
    {
        var failure = await Assert.ThrowsAsync<FeedConnectionException>(() =>
            PollAsync(All, 2, Answer(n => new FeedConnectionException(DisconnectReason.NetworkError, $"HTTP 50{n}"))));

        Assert.Equal("HTTP 501", failure.Message);
        Assert.Equal(3, _batchSizes.Count);
    }

    [Fact]
    public async Task PollAsync_AuthFailure_FailsTheWholePollAtOnce()
    {
        var failure = await Assert.ThrowsAsync<FeedConnectionException>(() =>
            PollAsync(All, 2, Answer(n => n == 2 ? new FeedConnectionException(DisconnectReason.AuthRejected, "refused") : null)));

        Assert.Equal(DisconnectReason.AuthRejected, failure.Reason);
        Assert.Equal([2, 2], _batchSizes);
        Assert.Empty(_failed);
    }

    [Fact]
    public async Task PollAsync_RateLimitedFirstBatch_FailsThePollAtOnce()
    {
        var failure = await Assert.ThrowsAsync<FeedConnectionException>(() =>
            PollAsync(All, 2, Answer(_ => new FeedConnectionException(DisconnectReason.RateLimited, "slow down"))));

        Assert.Equal(DisconnectReason.RateLimited, failure.Reason);
        Assert.Equal([2], _batchSizes);
    }

    [Fact]
    public async Task PollAsync_RateLimitedAfterABatchWasAnswered_DeliversItAndAsksForNothingMore()
    {
        var result = await PollAsync(All, 2, Answer(n => n == 2 ? new FeedConnectionException(DisconnectReason.RateLimited, "slow down") : null));

        Assert.Equal([2, 2], _batchSizes);
        Assert.Equal(["NSE:1", "NSE:2"], result.Ticks.Select(t => t.Instrument.Key.ToString()));
        Assert.Equal(
            [("NSE:3", "slow down"), ("NSE:4", "slow down"), ("NSE:5", "slow down")],
            result.Unfetched.Select(m => (m.Instrument.Key.ToString(), m.Message)));
        Assert.Empty(_failed);
    }

    [Fact]
    public async Task PollAsync_DuringACooldown_SendsNothing()
    {
        _pacer.CoolDown(null);

        var failure = await Assert.ThrowsAsync<FeedConnectionException>(() => PollAsync(All, 2, Answer()));

        Assert.Equal(DisconnectReason.RateLimited, failure.Reason);
        Assert.Empty(_batchSizes);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 0)]
    [InlineData(6, 1)]
    [InlineData(11, 2)]
    public void MinimumDuration_IsTheSpacingBetweenItsRequests(int instruments, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), _poll.MinimumDuration(instruments, 5));
}
