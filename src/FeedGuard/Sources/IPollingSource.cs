namespace FeedGuard.Sources;

/// <summary>
/// A broker's REST snapshot endpoint. One call fetches every instrument of the request, split into
/// as many broker requests as its batch size needs, within its rate limit.
/// </summary>
public interface IPollingSource
{
    /// <summary>A short name for logs and status.</summary>
    string Name { get; }

    /// <summary>Fetches the latest price of every instrument; ticks carry <c>Source = Poll</c>.</summary>
    /// <exception cref="FeedConnectionException">The whole poll failed; its reason decides the recovery.</exception>
    ValueTask<PollResult> PollAsync(StreamRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Problems that would make every poll fail (for example an instrument without the trading
    /// symbol the broker polls by). Checked once when the feed is built. Default: none.
    /// </summary>
    IReadOnlyList<string> Validate(StreamRequest request) => [];

    /// <summary>
    /// How long one poll of <paramref name="request"/> takes at the least because of the broker's
    /// rate limit (3,000 instruments at 50 per request and 1 request/s take a minute). The supervisor
    /// adds it to its poll timeout so a large list is never cut off. Default: zero.
    /// </summary>
    TimeSpan MinimumPollDuration(StreamRequest request) => TimeSpan.Zero;
}
