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
}
