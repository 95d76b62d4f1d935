namespace FeedGuard.Events;

/// <summary>
/// Numbers events, keeps a bounded history and copies each event to every reader's buffer. Writers
/// are the supervisor and the tick hub (slow consumers); a lock keeps numbering and order in step.
/// Readers run their own code on their own tasks.
/// </summary>
internal sealed class EventHub
{
    private readonly Lock _lock = new();
    private readonly FeedEvent[] _history;
    private readonly TimeProvider _timeProvider;
    private EventSubscription[] _subscribers = [];
    private long _sequence;
    private int _historyCount;
    private bool _completed;

    public EventHub(int historySize, TimeProvider timeProvider)
    {
        _history = new FeedEvent[historySize];
        _timeProvider = timeProvider;
    }

    public void Publish(FeedEvent feedEvent)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            feedEvent.Sequence = ++_sequence;
            feedEvent.Timestamp = _timeProvider.GetUtcNow();
            if (_history.Length > 0)
            {
                _history[(_sequence - 1) % _history.Length] = feedEvent;
                _historyCount = Math.Min(_historyCount + 1, _history.Length);
            }

            foreach (var subscriber in _subscribers)
            {
                subscriber.Write(feedEvent);
            }
        }
    }

    public EventSubscription Subscribe(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        var subscription = new EventSubscription(capacity, Remove);
        lock (_lock)
        {
            if (_completed)
            {
                subscription.Complete();
            }
            else
            {
                _subscribers = [.. _subscribers, subscription];
            }
        }

        return subscription;
    }

    /// <summary>The most recent events, oldest first.</summary>
    public IReadOnlyList<FeedEvent> Recent()
    {
        lock (_lock)
        {
            var result = new FeedEvent[_historyCount];
            var first = _sequence - _historyCount;
            for (var i = 0; i < _historyCount; i++)
            {
                result[i] = _history[(first + i) % _history.Length];
            }

            return result;
        }
    }

    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (var subscriber in _subscribers)
            {
                subscriber.Complete();
            }

            _subscribers = [];
        }
    }

    private void Remove(EventSubscription subscription)
    {
        lock (_lock)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscription)];
        }
    }
}
