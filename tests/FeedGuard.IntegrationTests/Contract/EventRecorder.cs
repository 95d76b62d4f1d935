using System.Diagnostics;
using FeedGuard.Events;
using FeedGuard.Failover;

namespace FeedGuard.IntegrationTests.Contract;

/// <summary>Reads the feed's ordered event stream in the background, stamping each event with the test clock.</summary>
internal sealed class EventRecorder : IAsyncDisposable
{
    private readonly EventSubscription _subscription;
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private readonly List<(FeedEvent Event, long At)> _events = [];

    public EventRecorder(EventSubscription subscription)
    {
        _subscription = subscription;
        _loop = Task.Run(ReadAsync);
    }

    public IReadOnlyList<FeedEvent> All()
    {
        lock (_gate)
        {
            return [.. _events.Select(e => e.Event)];
        }
    }

    /// <summary>Mode changes at or after the test-clock timestamp <paramref name="since"/>, in order.</summary>
    public IReadOnlyList<ModeChangedEvent> ModeChanges(long since = 0)
    {
        lock (_gate)
        {
            return [.. _events.Where(e => e.At >= since).Select(e => e.Event).OfType<ModeChangedEvent>()];
        }
    }

    /// <summary>When the first change into <paramref name="to"/> at or after <paramref name="since"/> was read, if any.</summary>
    public long? FirstChangeTo(FeedState to, long since)
    {
        lock (_gate)
        {
            foreach (var (e, at) in _events)
            {
                if (at >= since && e is ModeChangedEvent m && m.To == to)
                {
                    return at;
                }
            }

            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _subscription.DisposeAsync();
        await _loop;
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var e in _subscription)
            {
                lock (_gate)
                {
                    _events.Add((e, Stopwatch.GetTimestamp()));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
