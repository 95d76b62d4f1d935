using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.Reconnect;
using FeedGuard.Sources;
using FeedGuard.Testing;
using FeedGuard.Ticks;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Tests;

/// <summary>
/// A feed on a fake clock with scripted sources. The clock starts on a Monday at 10:00 IST, inside
/// the NSE session. Everything the feed does happens inside the call that triggered it, so tests
/// assert straight after advancing the clock.
/// </summary>
internal sealed class FeedHarness : IAsyncDisposable
{
    /// <summary>Monday 23 November 2026, 10:00 IST.</summary>
    public static readonly DateTimeOffset MondayMorning = new(2026, 11, 23, 10, 0, 0, SessionCalendar.IstOffset);

    public static readonly InstrumentKey Sbin = InstrumentKey.Parse("NSE:3045");
    public static readonly InstrumentKey Reliance = InstrumentKey.Parse("NSE:2885");

    private readonly EventSubscription _eventReader;
    private readonly List<FeedEvent> _events = [];

    public FeedHarness(Func<MarketFeedOptions, MarketFeedOptions>? configure = null, bool withPolling = true, DateTimeOffset? start = null, ICredentialsProvider? credentials = null, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        // xUnit's synchronisation context would push the feed's continuations to other threads;
        // without it, everything the scripted sources trigger runs inside the triggering call.
        SynchronizationContext.SetSynchronizationContext(null);
        Clock = new FakeTimeProvider(start ?? MondayMorning);
        Stream = new ScriptedStreamingSource();
        Poll = withPolling ? new ScriptedPollingSource(_ => PollResult.Of([])) : null;
        var options = new MarketFeedOptions
        {
            Name = "test",
            Instruments = [Sbin, Reliance],
            Reconnect = new ReconnectOptions { Jitter = 0.2 },
        };
        options = configure?.Invoke(options) ?? options;
        Feed = new MarketFeed(options, Stream, Poll, new MarketFeedServices
        {
            TimeProvider = Clock,
            Randomizer = () => 0.5,
            CredentialsProvider = credentials,
            MeterFactory = meterFactory,
            LoggerFactory = loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        });
        _eventReader = Feed.SubscribeEvents(100_000);
    }

    public FakeTimeProvider Clock { get; }

    public ScriptedStreamingSource Stream { get; }

    public ScriptedPollingSource? Poll { get; }

    public MarketFeed Feed { get; }

    public Instrument SbinInstrument => Feed.Instruments[0];

    public Instrument RelianceInstrument => Feed.Instruments[1];

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Every event so far, in order.</summary>
    public IReadOnlyList<FeedEvent> Events
    {
        get
        {
            while (_eventReader.TryRead(out var e))
            {
                _events.Add(e!);
            }

            return _events;
        }
    }

    /// <summary>The state sequence recorded by mode-changed events.</summary>
    public IReadOnlyList<FeedState> States => [.. Events.OfType<ModeChangedEvent>().Select(e => e.To)];

    public IReadOnlyList<ModeChangedEvent> ModeChanges => [.. Events.OfType<ModeChangedEvent>()];

    public async Task StartAsync() => await Feed.StartAsync();

    /// <summary>Moves the clock forward in steps no longer than <paramref name="step"/> (default 100 ms), so periodic work runs as it would in real time.</summary>
    public void Advance(TimeSpan by, TimeSpan? step = null)
    {
        var stride = step ?? TimeSpan.FromMilliseconds(100);
        var left = by;
        while (left > TimeSpan.Zero)
        {
            var next = left < stride ? left : stride;
            Clock.Advance(next);
            left -= next;
        }
    }

    public void Advance(double seconds) => Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>Advances while the current connection keeps ticking every <paramref name="every"/>.</summary>
    public async Task AdvanceStreamingAsync(TimeSpan by, TimeSpan every, decimal price = 100m)
    {
        var left = by;
        while (left > TimeSpan.Zero)
        {
            var next = left < every ? left : every;
            Advance(next);
            left -= next;
            price += 0.05m;
            await Stream.Current.EmitAsync(TickBuilder.Stream(SbinInstrument, price, Now));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Feed.DisposeAsync();
        await _eventReader.DisposeAsync();
    }
}
