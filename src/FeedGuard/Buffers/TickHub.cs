namespace FeedGuard.Buffers;

/// <summary>
/// The set of subscriber buffers. Copy-on-write, so the ingest path reads a stable array without
/// a lock while subscribers come and go.
/// </summary>
internal sealed class TickHub
{
    private readonly Lock _lock = new();
    private readonly int _instrumentCount;
    private readonly Action<SubscriberBuffer> _slowEpisodeStarted;
    private SubscriberBuffer[] _subscribers = [];
    private bool _completed;

    public TickHub(int instrumentCount, Action<SubscriberBuffer> slowEpisodeStarted)
    {
        _instrumentCount = instrumentCount;
        _slowEpisodeStarted = slowEpisodeStarted;
    }

    /// <summary>The current subscribers; a stable snapshot.</summary>
    public SubscriberBuffer[] Subscribers => Volatile.Read(ref _subscribers);

    public TickSubscription Subscribe(SubscriptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        SubscriberBuffer buffer = options.Policy == BufferPolicy.LatestPerInstrument
            ? new ConflatingBuffer(options.Name, _instrumentCount)
            : new RingBuffer(options.Name, options.Policy, options.Capacity);
        buffer.SlowEpisodeStarted = _slowEpisodeStarted;
        var subscription = new TickSubscription(buffer, Remove);
        lock (_lock)
        {
            if (_completed)
            {
                buffer.Complete();
            }
            else
            {
                Volatile.Write(ref _subscribers, [.. _subscribers, buffer]);
            }
        }

        return subscription;
    }

    /// <summary>Ends every subscription: readers drain what is buffered, then finish.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            _completed = true;
            foreach (var buffer in _subscribers)
            {
                buffer.Complete();
            }

            Volatile.Write(ref _subscribers, []);
        }
    }

    private void Remove(TickSubscription subscription)
    {
        lock (_lock)
        {
            Volatile.Write(ref _subscribers, [.. _subscribers.Where(b => b != subscription.Buffer)]);
        }
    }
}
