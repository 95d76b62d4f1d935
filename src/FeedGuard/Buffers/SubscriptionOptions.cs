namespace FeedGuard.Buffers;

/// <summary>How one subscriber's buffer behaves.</summary>
public sealed record SubscriptionOptions
{
    /// <summary>A name for status, metrics and slow-consumer reports. Default <c>subscriber</c>.</summary>
    public string Name { get; init; } = "subscriber";

    /// <summary>What happens when the subscriber falls behind. Default <see cref="BufferPolicy.DropOldest"/>.</summary>
    public BufferPolicy Policy { get; init; } = BufferPolicy.DropOldest;

    /// <summary>
    /// Ticks the buffer holds (ignored for <see cref="BufferPolicy.LatestPerInstrument"/>, which holds
    /// one per instrument). Default 10,000.
    /// </summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>Every problem with these options, each naming its key under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Validate(string prefix = "")
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return $"{prefix}Name must not be empty.";
        }

        if (!Enum.IsDefined(Policy))
        {
            yield return $"{prefix}Policy '{Policy}' is unknown; allowed: {string.Join(", ", Enum.GetValues<BufferPolicy>().Where(p => p != BufferPolicy.Inline))}.";
        }

        if (Policy == BufferPolicy.Inline)
        {
            yield return $"{prefix}Policy '{Policy}' needs a handler: subscribe with MarketFeed.SubscribeInline instead.";
        }

        if (Capacity < 1)
        {
            yield return $"{prefix}Capacity must be at least 1 (got {Capacity}).";
        }
    }
}
