using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.Reconnect;
using FeedGuard.Ticks;

namespace FeedGuard;

/// <summary>
/// Everything that tunes one <see cref="MarketFeed"/>. Immutable; validated once when the feed is
/// built, with a message that names the bad key. Defaults follow the original requirements.
/// </summary>
public sealed record MarketFeedOptions
{
    /// <summary>A name for logs, metrics and status. Default <c>feed</c>.</summary>
    public string Name { get; init; } = "feed";

    /// <summary>The instruments to serve (required, no duplicates).</summary>
    public IReadOnlyList<InstrumentKey> Instruments { get; init; } = [];

    /// <summary>How much each tick carries. Default <see cref="FeedMode.Ltp"/>.</summary>
    public FeedMode FeedMode { get; init; } = FeedMode.Ltp;

    /// <summary>
    /// No tick from the stream for this long while an instrument's exchange is open means the stream
    /// has failed (and an instrument without a tick for this long is stale). Default 30 s.
    /// </summary>
    public TimeSpan HeartbeatThreshold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// No frame of any kind (tick, heartbeat, pong) for this long means the connection is dead, in or
    /// out of session. Default 10 s; <see cref="Timeout.InfiniteTimeSpan"/> turns the check off.
    /// </summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one connect-and-subscribe attempt may take. Default 15 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the health layers are checked. Default 1 s.</summary>
    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A restored stream must deliver fresh ticks for this long, with no more than
    /// <see cref="MaxMalformedRatio"/> of the window's frames malformed, before polling stops
    /// (hysteresis). Default 5 s.
    /// </summary>
    public TimeSpan PromoteWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time between polls while the stream is down. Default 1 s (the brokers' quote rate limit).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one poll may take. Default 10 s.</summary>
    public TimeSpan PollTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive failed polls after which polling counts as failed too. Default 3.</summary>
    public int PollFailureThreshold { get; init; } = 3;

    /// <summary>
    /// Pause after a poll was rate limited, when the polling source names no wait of its own. The SmartAPI
    /// and Kite sources always name one (the broker's Retry-After, or their escalating cooldown, see
    /// their <c>RateLimitCooldown</c>), and polling resumes when it ends. Default 60 s.
    /// </summary>
    public TimeSpan PollRateLimitCooldown { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Allow simulated ticks when neither stream nor polling works. A safety hazard, so off by
    /// default; when on, status and every tick say so.
    /// </summary>
    public bool AllowSimulation { get; init; }

    /// <summary>Time between simulated ticks per instrument. Default 1 s.</summary>
    public TimeSpan SimulationInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed of the simulated random walk; the same seed gives the same walk. Default: random.</summary>
    public int? SimulationSeed { get; init; }

    /// <summary>Above this share of malformed frames the stream counts as failed. Default 0.5.</summary>
    public double MaxMalformedRatio { get; init; } = 0.5;

    /// <summary>Frames needed before the malformed ratio is judged. Default 20.</summary>
    public int MalformedMinFrames { get; init; } = 20;

    /// <summary>How often to ask the credentials provider again after an auth rejection. Default 60 s.</summary>
    public TimeSpan CredentialsRetryInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An exchange time further than this ahead of the local clock is rejected (accepting it would
    /// freeze the instrument until real time caught up). Default 5 min.
    /// </summary>
    public TimeSpan FutureTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Recent ticks kept per instrument in the rolling window (<see cref="MarketFeed.GetRecentTicks"/>).
    /// Default 64. Every delivered tick is copied into it, and a large window over many instruments is
    /// memory the ingest path writes cold (64 × 64 ticks is 650 KB): in the loopback benchmark the window
    /// was about 40 % of the gate-and-book cost per tick. Set 0 when nothing reads it.
    /// </summary>
    public int RecentTicksPerInstrument { get; init; } = 64;

    /// <summary>Recent events kept for <see cref="MarketFeed.GetRecentEvents"/>. Default 256.</summary>
    public int EventHistory { get; init; } = 256;

    /// <summary>The buffer behind <see cref="MarketFeed.GetNextTickAsync"/>. Default drop-oldest, 10,000 ticks.</summary>
    public Buffers.SubscriptionOptions DefaultSubscription { get; init; } = new() { Name = "default" };

    /// <summary>Backoff, cooldown and flap guard.</summary>
    public ReconnectOptions Reconnect { get; init; } = new();

    /// <summary>Exchange sessions and holidays.</summary>
    public SessionCalendarOptions Sessions { get; init; } = new();

    /// <summary>Every problem with these options, each naming its key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems.Add("Name must not be empty.");
        }

        if (Instruments is null || Instruments.Count == 0)
        {
            problems.Add("Instruments must list at least one instrument (EXCHANGE:TOKEN, for example NSE:3045).");
        }
        else
        {
            // Parsed keys are always well formed; keys built in code or by a binder are not, and would
            // otherwise fail later with an exception that names no key (or not fail at all).
            for (var i = 0; i < Instruments.Count; i++)
            {
                if (Instruments[i] is null)
                {
                    problems.Add($"Instruments:{i} is empty.");
                }
                else if (Instruments[i].Problem() is { } problem)
                {
                    problems.Add($"Instruments:{i} {problem}");
                }
            }

            foreach (var duplicate in Instruments.Where(i => i is not null && i.Problem() is null).GroupBy(i => i).Where(g => g.Count() > 1))
            {
                problems.Add($"Instruments lists {duplicate.Key} more than once.");
            }
        }

        if (!Enum.IsDefined(FeedMode))
        {
            problems.Add($"FeedMode '{FeedMode}' is unknown; allowed: {string.Join(", ", Enum.GetNames<FeedMode>())}.");
        }

        Positive(problems, nameof(HeartbeatThreshold), HeartbeatThreshold);
        if (FrameTimeout != Timeout.InfiniteTimeSpan)
        {
            Positive(problems, nameof(FrameTimeout), FrameTimeout);
        }

        Positive(problems, nameof(ConnectTimeout), ConnectTimeout);
        Positive(problems, nameof(HealthCheckInterval), HealthCheckInterval);
        Positive(problems, nameof(PollInterval), PollInterval);
        Positive(problems, nameof(PollTimeout), PollTimeout);
        Positive(problems, nameof(SimulationInterval), SimulationInterval);
        Positive(problems, nameof(CredentialsRetryInterval), CredentialsRetryInterval);
        Positive(problems, nameof(FutureTolerance), FutureTolerance);
        if (PromoteWindow < TimeSpan.Zero)
        {
            problems.Add($"PromoteWindow must not be negative (got {PromoteWindow}).");
        }

        if (PollRateLimitCooldown < TimeSpan.Zero)
        {
            problems.Add($"PollRateLimitCooldown must not be negative (got {PollRateLimitCooldown}).");
        }

        if (PollFailureThreshold < 1)
        {
            problems.Add($"PollFailureThreshold must be at least 1 (got {PollFailureThreshold}).");
        }

        if (MaxMalformedRatio is <= 0 or > 1 || double.IsNaN(MaxMalformedRatio))
        {
            problems.Add($"MaxMalformedRatio must be in (0, 1] (got {MaxMalformedRatio}).");
        }

        if (MalformedMinFrames < 1)
        {
            problems.Add($"MalformedMinFrames must be at least 1 (got {MalformedMinFrames}).");
        }

        if (RecentTicksPerInstrument < 0)
        {
            problems.Add($"RecentTicksPerInstrument must not be negative (got {RecentTicksPerInstrument}).");
        }

        if (EventHistory < 0)
        {
            problems.Add($"EventHistory must not be negative (got {EventHistory}).");
        }

        if (DefaultSubscription is null)
        {
            problems.Add("DefaultSubscription must be set.");
        }
        else
        {
            problems.AddRange(DefaultSubscription.Validate("DefaultSubscription:"));
        }

        problems.AddRange(Reconnect?.Validate("Reconnect:") ?? ["Reconnect must be set."]);
        problems.AddRange(Sessions?.Validate("Sessions:") ?? ["Sessions must be set."]);
        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem, when there is one.</summary>
    public void ThrowIfInvalid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid FeedGuard options: " + string.Join(" ", problems));
        }
    }

    private static void Positive(List<string> problems, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{key} must be positive (got {value}).");
        }
    }
}
