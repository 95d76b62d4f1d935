using FeedGuard.Integrity;

namespace FeedGuard.Tests.Integrity;

/// <summary>
/// The ingest lock: one owner at a time, waiters served in arrival order, and a cancelled waiter
/// neither takes nor loses the lock, including when its cancellation races with a release.
/// </summary>
public sealed class AsyncMutexTests
{
    /// <summary>Generous: only turns a hang into a failure.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public void TryEnter_FreeThenHeldThenReleased_TakesRefusesTakes()
    {
        var mutex = new AsyncMutex();

        Assert.True(mutex.TryEnter());
        Assert.False(mutex.TryEnter());
        mutex.Release();
        Assert.True(mutex.TryEnter());
    }

    [Fact]
    public async Task EnterAsync_Held_WaitsForTheRelease_ThenOwnsTheLock()
    {
        var mutex = new AsyncMutex();
        Assert.True(mutex.TryEnter());

        var waiting = mutex.EnterAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        mutex.Release();
        await waiting.WaitAsync(Bound);

        Assert.False(mutex.TryEnter());
        mutex.Release();
        Assert.True(mutex.TryEnter());
    }

    [Fact]
    public async Task EnterAsync_SeveralWaiters_EachReleaseHandsTheLockToTheNextInArrivalOrder()
    {
        var mutex = new AsyncMutex();
        Assert.True(mutex.TryEnter());
        Task[] waiters = [.. Enumerable.Range(0, 3).Select(_ => mutex.EnterAsync(CancellationToken.None).AsTask())];

        for (var i = 0; i < waiters.Length; i++)
        {
            Assert.All(waiters[i..], w => Assert.False(w.IsCompleted));
            mutex.Release();
            await waiters[i].WaitAsync(Bound);
        }

        mutex.Release();
        Assert.True(mutex.TryEnter());
    }

    [Fact]
    public async Task EnterAsync_WaiterCancelled_LeavesTheQueueAndTheNextWaiterGetsTheLock()
    {
        var mutex = new AsyncMutex();
        Assert.True(mutex.TryEnter());
        using var cts = new CancellationTokenSource();
        var cancelled = mutex.EnterAsync(cts.Token).AsTask();
        var next = mutex.EnterAsync(CancellationToken.None).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Bound));
        Assert.False(next.IsCompleted);
        mutex.Release();
        await next.WaitAsync(Bound);

        mutex.Release();
        Assert.True(mutex.TryEnter());
    }

    [Fact]
    public async Task EnterAsync_EveryWaiterCancelled_ReleaseLeavesTheLockFree()
    {
        var mutex = new AsyncMutex();
        Assert.True(mutex.TryEnter());
        using var cts = new CancellationTokenSource();
        Task[] waiters = [.. Enumerable.Range(0, 3).Select(_ => mutex.EnterAsync(cts.Token).AsTask())];

        await cts.CancelAsync();
        foreach (var waiter in waiters)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(Bound));
        }

        mutex.Release();
        Assert.True(mutex.TryEnter());
    }

    [Fact]
    public async Task EnterAsync_TokenAlreadyCancelledAndLockHeld_ThrowsWithoutQueueing()
    {
        var mutex = new AsyncMutex();
        Assert.True(mutex.TryEnter());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => mutex.EnterAsync(new CancellationToken(true)).AsTask());

        mutex.Release();
        Assert.True(mutex.TryEnter());
    }

    /// <summary>
    /// Workers on the thread pool enter and release in a loop while every third wait is cancelled
    /// from another thread at an arbitrary moment: never two owners, every attempt ends entered or
    /// cancelled, and the lock is free at the end.
    /// </summary>
    [Fact]
    public async Task EnterAsync_ContendedWithRacingCancellations_NeverTwoOwnersAndNothingLost()
    {
        const int workers = 4;
        const int rounds = 2_000;
        var mutex = new AsyncMutex();
        var inside = 0;
        var overlaps = 0;
        var entered = 0;
        var cancelled = 0;

        async Task Work()
        {
            for (var i = 0; i < rounds; i++)
            {
                using var cts = new CancellationTokenSource();
                var canceller = i % 3 == 0 ? Task.Run(cts.Cancel) : Task.CompletedTask;
                try
                {
                    await mutex.EnterAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref cancelled);
                    await canceller;
                    continue;
                }

                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                await Task.Yield();
                Interlocked.Decrement(ref inside);
                Interlocked.Increment(ref entered);
                mutex.Release();
                await canceller;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(Work))).WaitAsync(Bound);

        Assert.Equal(0, overlaps);
        Assert.Equal(workers * rounds, entered + cancelled);
        Assert.True(mutex.TryEnter());
    }
}
