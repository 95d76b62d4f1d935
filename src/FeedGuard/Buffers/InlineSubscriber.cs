using FeedGuard.Events;
using FeedGuard.Ticks;

namespace FeedGuard.Buffers;

/// <summary>
/// A subscriber without a buffer: the ingest path calls the handler with each run of ticks the gate
/// admitted from a batch (the whole batch unless the gate dropped a tick inside it), straight from
/// the batch's own memory: no copy, on its own thread, under the ingest lock (so calls never overlap
/// and arrive in delivery order). Nothing is ever dropped or waiting; what can go wrong is a handler that
/// throws (counted, reported, and the feed goes on) or one that is slow (timed with the feed's clock, from
/// the ingest path's latest reading to the handler's return, or to the health check that finds it still
/// running; a slow episode is reported like a full buffer's).
/// </summary>
internal sealed class InlineSubscriber : SubscriberBuffer
{
    private readonly TickBatchHandler _handler;
    private readonly TimeProvider _time;
    private readonly TimeSpan _slowCall;
    private long _errors;
    private long _slowCalls;

    // The thread inside the handler, 0 when none: Complete waits for it, unless it is that thread.
    private int _callingThread;

    // When the call in progress was timed from (valid while _callingThread is set), for WatchCall.
    private long _callStartedAt;

    // The start of the last call counted slow: WatchCall and the call's own check count each call once.
    private long _countedCallStart;

    public InlineSubscriber(string name, TickBatchHandler handler, TimeSpan slowCall, TimeProvider time)
        : base(name, BufferPolicy.Inline, capacity: 0)
    {
        _handler = handler;
        _slowCall = slowCall;
        _time = time;
    }

    /// <summary>Called (on the ingest path) after the handler threw; the feed reports it.</summary>
    public Action<InlineSubscriber, Exception>? HandlerFailed { get; set; }

    /// <summary>Spaces out the logging of this handler's failures; set by the hub.</summary>
    public ReportThrottle? FailureReports { get; set; }

    /// <summary>Calls that threw.</summary>
    public long Errors => Volatile.Read(ref _errors);

    /// <summary>Calls that took longer than the slow-call threshold, or are still running past it.</summary>
    public long SlowCalls => Volatile.Read(ref _slowCalls);

    /// <summary>When the call in progress was timed from (a feed-clock timestamp), or null when the handler is not running.</summary>
    public long? RunningSince
    {
        get
        {
            // Thread first: set after the start and cleared first, so a start read after a set thread is this
            // call's or a later one's (which only makes the call look shorter).
            if (Volatile.Read(ref _callingThread) == 0)
            {
                return null;
            }

            return Volatile.Read(ref _callStartedAt);
        }
    }

    /// <summary>
    /// Called by the health check: a call still running past the threshold is slow now, not only once it
    /// returns, so a handler that hangs is reported while it hangs.
    /// </summary>
    public void WatchCall()
    {
        if (RunningSince is { } started && _time.GetElapsedTime(started) > _slowCall)
        {
            CountSlowCall(started);
        }
    }

    /// <summary>
    /// Ends the subscription; when it returns the handler is not running and will not be called again,
    /// except when called from inside the handler itself (the current call then finishes normally).
    /// </summary>
    public void CompleteAndWait()
    {
        Complete();

        // The other half of Call's handshake, which has no fence of its own: after this, either a call
        // that published its thread is seen below, or that call sees the completion and skips the handler.
        Interlocked.MemoryBarrierProcessWide();
        var self = Environment.CurrentManagedThreadId;
        var spin = default(SpinWait);
        while (Volatile.Read(ref _callingThread) is var calling && calling != 0 && calling != self)
        {
            spin.SpinOnce();
        }
    }

    protected override int TryWriteCore(ReadOnlySpan<Tick> run, ref long now)
    {
        Call(run, ref now);
        return run.Length;
    }

    protected override bool TryReadCore(out Tick tick)
    {
        tick = default;
        return false;
    }

    protected override int TryReadBatchCore(Span<Tick> destination) => 0;

    // Timed from `now`, the ingest path's latest clock reading (the batch's arrival or the previous
    // handler's return), not from a reading of our own: a clock reading costs as much as the ingest
    // work before the call, which the threshold (a millisecond) cannot tell apart anyway.
    private void Call(ReadOnlySpan<Tick> ticks, ref long now)
    {
        var started = now;
        Volatile.Write(ref _callStartedAt, started);

        // Published before the completed check, so CompleteAndWait either sees this call or this call sees
        // it. The store-then-load order needs a full fence between them on one side: CompleteAndWait, which
        // runs once per subscription, takes a process-wide one, so the call per batch takes none.
        Volatile.Write(ref _callingThread, Environment.CurrentManagedThreadId);
        try
        {
            if (IsCompleted)
            {
                return;
            }

            try
            {
                _handler(ticks);
            }
            catch (Exception ex)
            {
                // The strategy's bug must not become the feed's: count, report, deliver the next batch.
                Interlocked.Increment(ref _errors);
                HandlerFailed?.Invoke(this, ex);
            }

            now = _time.GetTimestamp();
            if (_time.GetElapsedTime(started, now) > _slowCall)
            {
                CountSlowCall(started);
            }
            else
            {
                LeaveSlowEpisode();
            }
        }
        finally
        {
            Volatile.Write(ref _callingThread, 0);
        }
    }

    // Both the call and WatchCall (on the supervisor's thread) may find the same call slow; one counts it.
    // Calls are told apart by their start: a call after a slow one starts later.
    private void CountSlowCall(long started)
    {
        var counted = Volatile.Read(ref _countedCallStart);
        if (counted != started && Interlocked.CompareExchange(ref _countedCallStart, started, counted) == counted)
        {
            Interlocked.Increment(ref _slowCalls);
        }

        EnterSlowEpisode();
    }
}
