namespace FeedGuard.Integrity;

/// <summary>
/// An async mutual-exclusion lock whose uncontended enter and release are one compare-and-swap
/// each (a <see cref="SemaphoreSlim"/> takes a monitor on both). Waiters queue in arrival order
/// and ownership passes from the releaser straight to the first of them. A waiter whose token is
/// cancelled leaves the queue; if the releaser already handed it the lock, the hand-off wins and
/// the wait completes normally (the caller then owns the lock and must release it), so ownership
/// is never lost or doubled.
/// </summary>
internal sealed class AsyncMutex
{
    // Bit 0: held. The rest: waiters queued, times Waiter; changed only under _sync.
    private const int Held = 1;
    private const int Waiter = 2;

    private readonly Lock _sync = new();
    private readonly LinkedList<QueuedWaiter> _waiters = [];
    private int _state;

    /// <summary>Takes the lock if it is free, without waiting.</summary>
    public bool TryEnter() => Interlocked.CompareExchange(ref _state, Held, 0) == 0;

    /// <summary>Takes the lock, waiting in line if it is held.</summary>
    public ValueTask EnterAsync(CancellationToken cancellationToken) =>
        TryEnter() ? ValueTask.CompletedTask : EnterContendedAsync(cancellationToken);

    /// <summary>Releases the lock, to the first waiter if there is one.</summary>
    public void Release()
    {
        if (Interlocked.CompareExchange(ref _state, 0, Held) == Held)
        {
            return;
        }

        lock (_sync)
        {
            // Still held by us, and the queue only changes under _sync: a queued waiter is still waiting.
            if (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                Interlocked.Add(ref _state, -Waiter);
                first.Value.TrySetResult();
            }
            else
            {
                // The waiters counted when the compare-and-swap failed were cancelled meanwhile.
                Volatile.Write(ref _state, 0);
            }
        }
    }

    private async ValueTask EnterContendedAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        QueuedWaiter waiter;
        lock (_sync)
        {
            while (true)
            {
                var state = Volatile.Read(ref _state);
                if ((state & Held) == 0)
                {
                    // Released meanwhile, and nobody queued: a waiter is only queued while the lock is held.
                    if (Interlocked.CompareExchange(ref _state, state | Held, state) == state)
                    {
                        return;
                    }
                }
                else if (Interlocked.CompareExchange(ref _state, state + Waiter, state) == state)
                {
                    break;
                }
            }

            waiter = new QueuedWaiter(this);
            waiter.Node = _waiters.AddLast(waiter);
        }

        using (cancellationToken.UnsafeRegister(static (w, token) => ((QueuedWaiter)w!).Cancel(token), waiter))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }

    // Continuations run asynchronously: the releaser must not run the next owner's work inside Release.
    private sealed class QueuedWaiter(AsyncMutex mutex) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public LinkedListNode<QueuedWaiter>? Node { get; set; }

        public void Cancel(CancellationToken token)
        {
            lock (mutex._sync)
            {
                // Out of the queue already: the releaser handed it the lock, and that stands.
                if (Node?.List is null)
                {
                    return;
                }

                mutex._waiters.Remove(Node);
                Interlocked.Add(ref mutex._state, -Waiter);
                TrySetCanceled(token);
            }
        }
    }
}
