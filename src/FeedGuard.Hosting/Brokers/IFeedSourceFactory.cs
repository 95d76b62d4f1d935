namespace FeedGuard.Hosting.Brokers;

/// <summary>
/// Builds the streaming and polling sources of one broker. A broker package adds support with one
/// registration: <c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;IFeedSourceFactory, KiteSourceFactory&gt;())</c>.
/// </summary>
public interface IFeedSourceFactory
{
    /// <summary>The broker this factory serves.</summary>
    FeedGuardBroker Broker { get; }

    /// <summary>Problems with the options for this broker (missing credentials, bad URLs), each naming its configuration key.</summary>
    /// <param name="options">The parsed options.</param>
    IReadOnlyList<string> Validate(FeedGuardOptions options);

    /// <summary>Builds the sources. Called once, when the gateway starts.</summary>
    /// <param name="options">The validated options.</param>
    /// <param name="services">The host's services (logging, clock).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    ValueTask<FeedSources> CreateAsync(FeedGuardOptions options, IServiceProvider services, CancellationToken cancellationToken);
}
