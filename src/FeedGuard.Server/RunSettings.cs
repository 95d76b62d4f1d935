namespace FeedGuard.Server;

/// <summary>What <c>feedguard run</c> was asked for on its command line (and, for tests, extra configuration).</summary>
internal sealed record RunSettings
{
    /// <summary>The address the gateway listens on unless <c>--urls</c> says otherwise.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public string? Urls { get; init; }

    public string? Broker { get; init; }

    public string? Instruments { get; init; }

    public string? FeedMode { get; init; }

    public bool NoDashboard { get; init; }

    public bool AllowSimulation { get; init; }

    public bool Jsonl { get; init; }

    /// <summary>Publish to this NATS server (<c>--nats</c>, i.e. <c>FeedGuard:Nats:Url</c>).</summary>
    public string? Nats { get; init; }

    /// <summary>Configuration applied after every other source (tests use it for short thresholds).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>Skip appsettings, user secrets and environment variables (tests: the machine's settings must not leak in).</summary>
    public bool IsolatedConfiguration { get; init; }
}
