using System.Globalization;
using System.Net.Http.Headers;

namespace FeedGuard.Sources.Rest;

/// <summary>
/// Keeps a broker's REST requests within its rate limit and, after a rate-limit answer, refuses to
/// send anything until the cooldown has passed. Requests are spaced across polls, not just within
/// one: the broker counts per second, whoever asks. Not thread-safe: one caller at a time (a poll
/// holds its own gate).
/// </summary>
/// <remarks>
/// A cooldown the broker does not name escalates: the first rate-limit answer in a row waits two
/// spacings, each further one twice as long as the one before, up to the configured cooldown, and an
/// answered request ends the run. Polling is what keeps a failed-over feed's data coming, so a limit
/// tripped once (a request that reached the broker early, another program on the same API key) costs
/// seconds of data rather than the whole cooldown, while a limit that persists (a per-minute or
/// per-hour quota) reaches the full cooldown after a handful of requests.
/// </remarks>
public sealed class RequestPacer
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _defaultCooldown;
    private readonly string _endpoint;
    private readonly long _origin;
    private TimeSpan _nextRequestAt;
    private TimeSpan _cooldownUntil;
    private int _rateLimitedInARow;

    /// <summary>Creates a pacer.</summary>
    /// <param name="requestsPerSecond">The broker's allowance; positive.</param>
    /// <param name="defaultCooldown">The longest wait after rate-limit answers that name no Retry-After.</param>
    /// <param name="endpoint">How messages name the endpoint, e.g. <c>Kite quote endpoint</c>.</param>
    /// <param name="time">The clock.</param>
    public RequestPacer(double requestsPerSecond, TimeSpan defaultCooldown, string endpoint, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestsPerSecond);
        ArgumentNullException.ThrowIfNull(time);
        Spacing = TimeSpan.FromSeconds(1 / requestsPerSecond);
        _defaultCooldown = defaultCooldown;
        _endpoint = endpoint;
        _time = time;
        _origin = time.GetTimestamp();
    }

    /// <summary>The least time from one request's answer to the start of the next.</summary>
    public TimeSpan Spacing { get; }

    private TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>
    /// Sends one request in its turn: waits until the broker may take it, runs it, and books the next
    /// turn one <see cref="Spacing"/> after this request's answer (or failure). During a cooldown it
    /// sends nothing: it throws <see cref="FeedConnectionException"/> (<see cref="DisconnectReason.RateLimited"/>)
    /// with the time left as <see cref="FeedConnectionException.RetryAfter"/>.
    /// </summary>
    /// <remarks>
    /// Spaced from the answer, not from the start: the broker counts a request when it arrives, and a
    /// request that left on time but arrived late (a loaded machine, a slow network) would let the next
    /// one, sent a spacing after the first left, arrive within the spacing: over the limit, and a long
    /// cooldown. The broker had counted a request before it answered, so the next one, sent a spacing
    /// after the answer, reaches it at least a spacing later.
    /// </remarks>
    /// <param name="request">Sends the request and reads its answer.</param>
    /// <param name="cancellationToken">Cancels the wait and the request.</param>
    public async Task SendAsync(Func<CancellationToken, Task> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await WaitForTurnAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await request(cancellationToken).ConfigureAwait(false);
            _rateLimitedInARow = 0;
        }
        finally
        {
            _nextRequestAt = Now + Spacing;
        }
    }

    private async ValueTask WaitForTurnAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        if (now < _cooldownUntil)
        {
            var remaining = _cooldownUntil - now;
            throw new FeedConnectionException(
                DisconnectReason.RateLimited,
                $"{_endpoint} is rate limiting; cooling down for {Seconds(remaining)} s more.",
                remaining);
        }

        if (_nextRequestAt > now)
        {
            await Task.Delay(_nextRequestAt - now, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts a cooldown after a rate-limit answer: as long as its Retry-After asks or, when it names
    /// none (or zero), two spacings for the first such answer in a row and twice the previous wait for
    /// each further one, at most the default cooldown. Returns the wait.
    /// </summary>
    public TimeSpan CoolDown(RetryConditionHeaderValue? retryAfter)
    {
        var wait = RetryAfterHeader.From(retryAfter, _time.GetUtcNow());
        var cooldown = wait is { } asked && asked > TimeSpan.Zero ? asked : Escalated(_rateLimitedInARow);
        _rateLimitedInARow++;
        _cooldownUntil = Now + cooldown;
        return cooldown;
    }

    // Two spacings doubled once per earlier answer in the run, capped; the shift stops before it could overflow.
    private TimeSpan Escalated(int earlier)
    {
        var first = Spacing * 2;
        return earlier >= 30 || first.Ticks > _defaultCooldown.Ticks >> earlier ? _defaultCooldown : first * (1 << earlier);
    }

    /// <summary>Seconds as messages show them: at most one decimal.</summary>
    public static string Seconds(TimeSpan wait) => wait.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
}
