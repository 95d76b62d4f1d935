using Microsoft.Extensions.Logging;

namespace FeedGuard.Emulator.Faults;

/// <summary>
/// Injects, lists and clears faults. Thread-safe; endpoints read the active set lock-free on
/// every packet, so checking for a fault costs a scan of a tiny array.
/// </summary>
public sealed class FaultController : IDisposable
{
    private static readonly TimeSpan DefaultFlapInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IFaultActions _actions;
    private readonly List<Entry> _entries = [];
    private Entry[] _active = [];
    private TaskCompletionSource _changed = NewSignal();
    private long _nextId;
    private bool _disposed;

    internal FaultController(TimeProvider time, ILogger logger, IFaultActions actions)
    {
        _time = time;
        _logger = logger;
        _actions = actions;
    }

    private sealed class Entry(ActiveFault fault)
    {
        public ActiveFault Fault { get; } = fault;

        public ITimer? Expiry { get; set; }

        public ITimer? Flap { get; set; }
    }

    /// <summary>The faults in force now, oldest first.</summary>
    public IReadOnlyList<ActiveFault> Active => [.. Volatile.Read(ref _active).Select(e => e.Fault)];

    /// <summary>
    /// Injects a fault. <see cref="FaultKind.Drop"/> and <see cref="FaultKind.ServerClose"/> act
    /// on open sockets at once; without a duration they are one-shot and the returned fault is
    /// not kept in <see cref="Active"/>.
    /// </summary>
    /// <param name="spec">The fault.</param>
    /// <returns>The fault as recorded, with its id and expiry.</returns>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public ActiveFault Inject(FaultSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var now = _time.GetUtcNow();
        var fault = new ActiveFault(Interlocked.Increment(ref _nextId), spec, now, spec.Duration is { } d ? now + d : null);
        var oneShot = spec.Kind is FaultKind.Drop or FaultKind.ServerClose && spec.Duration is null;
        Log.FaultInjected(_logger, fault.Id, spec.Kind, spec.Duration?.TotalSeconds ?? 0, spec.Broker ?? "all");
        if (!oneShot)
        {
            var entry = new Entry(fault);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _entries.Add(entry);
                if (spec.Duration is { } duration)
                {
                    entry.Expiry = _time.CreateTimer(static s => ((ExpiryState)s!).Fire(), new ExpiryState(this, fault.Id), duration, Timeout.InfiniteTimeSpan);
                }

                if (spec.Kind == FaultKind.Flap)
                {
                    var interval = spec.Interval ?? DefaultFlapInterval;
                    entry.Flap = _time.CreateTimer(static s => ((FlapState)s!).Fire(), new FlapState(_actions, spec.Broker), interval, interval);
                }

                PublishLocked();
            }
        }

        switch (spec.Kind)
        {
            case FaultKind.Drop:
                _actions.DropAll(spec.Broker);
                break;
            case FaultKind.ServerClose:
                _actions.CloseAll(spec.Broker, spec.Message);
                break;
        }

        return fault;
    }

    /// <summary>Clears one fault by id.</summary>
    /// <param name="id">The fault's id.</param>
    /// <returns>True if it was active.</returns>
    public bool Clear(long id) => Remove(id, "cleared");

    /// <summary>Clears every active fault.</summary>
    /// <returns>How many were cleared.</returns>
    public int ClearAll()
    {
        Entry[] removed;
        lock (_gate)
        {
            removed = [.. _entries];
            _entries.Clear();
            PublishLocked();
        }

        foreach (var e in removed)
        {
            Stop(e, "cleared");
        }

        return removed.Length;
    }

    /// <summary>Whether a fault of this kind is in force for a broker.</summary>
    /// <param name="kind">The fault kind.</param>
    /// <param name="broker">The broker endpoint asking (<see cref="EmulatorBrokers"/>).</param>
    public bool IsActive(FaultKind kind, string broker) => Find(kind, broker) is not null;

    /// <summary>The newest active fault of a kind for a broker, or null.</summary>
    internal FaultSpec? Find(FaultKind kind, string broker)
    {
        var active = Volatile.Read(ref _active);
        for (var i = active.Length - 1; i >= 0; i--)
        {
            var spec = active[i].Fault.Spec;
            if (spec.Kind == kind && (spec.Broker is null || string.Equals(spec.Broker, broker, StringComparison.OrdinalIgnoreCase)))
            {
                return spec;
            }
        }

        return null;
    }

    /// <summary>Completes when no fault of <paramref name="kind"/> is in force for the broker.</summary>
    internal async ValueTask WaitWhileActiveAsync(FaultKind kind, string broker, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Take the signal before checking so a change between the two is not missed.
            var changed = Volatile.Read(ref _changed).Task;
            if (!IsActive(kind, broker))
            {
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        ClearAll();
    }

    private bool Remove(long id, string reason)
    {
        Entry? entry;
        lock (_gate)
        {
            entry = _entries.Find(e => e.Fault.Id == id);
            if (entry is null)
            {
                return false;
            }

            _entries.Remove(entry);
            PublishLocked();
        }

        Stop(entry, reason);
        return true;
    }

    private void Stop(Entry entry, string reason)
    {
        entry.Expiry?.Dispose();
        entry.Flap?.Dispose();
        Log.FaultCleared(_logger, entry.Fault.Id, entry.Fault.Spec.Kind, reason);
    }

    private void PublishLocked()
    {
        Volatile.Write(ref _active, [.. _entries]);
        var previous = Interlocked.Exchange(ref _changed, NewSignal());
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class ExpiryState(FaultController owner, long id)
    {
        public void Fire() => owner.Remove(id, "expired");
    }

    private sealed class FlapState(IFaultActions actions, string? broker)
    {
        public void Fire() => actions.DropAll(broker);
    }
}
