using FeedGuard.Events;

namespace FeedGuard.Buffers;

/// <summary>
/// The set of subscriber buffers. Copy-on-write, so the ingest path reads a stable array without
/// a lock while subscribers come and go.
/// </summary>
internal sealed class TickHub
{
    /// <summary>
    /// At most one report (log line and event) per subscriber in this time for each recurring condition:
    /// a latest-per-instrument reader a little behind a busy market starts a slow episode at every read.
    /// </summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private readonly int _instrumentCount;
    private readonly Action<SubscriberBuffer> _slowEpisodeStarted;
    private readonly Action<InlineSubscriber, Exception> _handlerFailed;
    private readonly TimeProvider _time;
    private SubscriberBuffer[] _subscribers = [];
    private bool _completed;

    public TickHub(int instrumentCount, Action<SubscriberBuffer> slowEpisodeStarted, Action<InlineSubscriber, Exception> handlerFailed, TimeProvider time)
    {
        _instrumentCount = instrumentCount;
        _slowEpisodeStarted = slowEpisodeStarted;
        _handlerFailed = handlerFailed;
        _time = time;
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
        Add(buffer);
        return new TickSubscription(buffer, Remove);
    }

    public InlineSubscription SubscribeInline(TickBatchHandler handler, InlineSubscriptionOptions options)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        var subscriber = new InlineSubscriber(options.Name, handler, options.SlowCallThreshold, _time)
        {
            HandlerFailed = _handlerFailed,
            FailureReports = new ReportThrottle(_time, ReportInterval),
        };
        Add(subscriber);
        return new InlineSubscription(subscriber, Remove);
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

    private void Add(SubscriberBuffer buffer)
    {
        buffer.SlowEpisodeStarted = _slowEpisodeStarted;
        buffer.SlowReports = new ReportThrottle(_time, ReportInterval);
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
    }

    private void Remove(SubscriberBuffer buffer)
    {
        lock (_lock)
        {
            Volatile.Write(ref _subscribers, [.. _subscribers.Where(b => b != buffer)]);
        }
    }
}
