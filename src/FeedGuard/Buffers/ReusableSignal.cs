using System.Threading.Tasks.Sources;

namespace FeedGuard.Buffers;

/// <summary>
/// A wake-up for one waiter at a time (a buffer's reader, or its writer waiting for room), reused for
/// every wait so parking allocates nothing, whatever token the waiter passes (a cancellable token
/// registers and unregisters a callback; the token's source recycles the registration node).
/// </summary>
/// <remarks>
/// Protocol, which makes a lost wake-up impossible: the waiter calls <see cref="TryWait"/> with a
/// condition; the signal is armed (a full fence) before the condition is checked again, and the
/// other side changes the state first and calls <see cref="Signal"/> (after a full fence of its own)
/// second. Whoever disarms first completes the wait, exactly once. Continuations run on the thread
/// pool, never inline on the signalling thread: the writer is the feed's ingest path.
/// </remarks>
internal sealed class ReusableSignal : IValueTaskSource<bool>
{
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private int _armed;

    // 1 from handing out a pending ValueTask until its GetResult: a second wait meanwhile must not reset it.
    private int _inUse;

    /// <summary>True while a waiter is parked (or about to be).</summary>
    public bool IsArmed => Volatile.Read(ref _armed) != 0;

    /// <summary>
    /// Starts a wait that completes with true once <see cref="Signal"/> is called, or at once when
    /// <paramref name="ready"/> holds after arming; it throws <see cref="OperationCanceledException"/>
    /// when the token fires first. False, with no wait started, while an earlier wait from this signal
    /// is still outstanding (a second concurrent waiter, or one that was never awaited): the caller
    /// then waits another way.
    /// </summary>
    public bool TryWait<TState>(Func<TState, bool> ready, TState state, CancellationToken cancellationToken, out ValueTask<bool> wait)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            wait = ValueTask.FromCanceled<bool>(cancellationToken);
            return true;
        }

        if (Interlocked.CompareExchange(ref _inUse, 1, 0) != 0)
        {
            wait = default;
            return false;
        }

        _core.Reset();
        Interlocked.Exchange(ref _armed, 1);
        if (ready(state))
        {
            if (Interlocked.Exchange(ref _armed, 0) == 1)
            {
                Volatile.Write(ref _inUse, 0);
                wait = new ValueTask<bool>(true);
                return true;
            }

            // The other side disarmed first and is completing this wait: take its result, never reset under it.
            wait = new ValueTask<bool>(this, _core.Version);
            return true;
        }

        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static (s, token) => ((ReusableSignal)s!).Cancel(token), this);
        }

        wait = new ValueTask<bool>(this, _core.Version);
        return true;
    }

    /// <summary>Wakes the waiter, if one is armed. Call after a full fence that follows the state change.</summary>
    public void Signal()
    {
        if (Volatile.Read(ref _armed) != 0 && Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _core.SetResult(true);
        }
    }

    private void Cancel(CancellationToken token)
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _core.SetException(new OperationCanceledException(token));
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        // Unregister, not Dispose: never wait for a cancellation callback that is completing this very wait.
        _registration.Unregister();
        _registration = default;
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Volatile.Write(ref _inUse, 0);
        }
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
