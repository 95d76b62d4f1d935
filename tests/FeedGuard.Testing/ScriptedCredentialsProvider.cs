using FeedGuard.Sources;

namespace FeedGuard.Testing;

/// <summary>A credentials provider that reports "changed" only when the test says so.</summary>
public sealed class ScriptedCredentialsProvider : ICredentialsProvider
{
    private int _calls;

    /// <summary>What the next refresh answers. Default false (nothing new).</summary>
    public bool HasNewCredentials { get; set; }

    /// <summary>How often the feed asked.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <inheritdoc />
    public ValueTask<bool> TryRefreshAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        var answer = HasNewCredentials;
        HasNewCredentials = false;
        return ValueTask.FromResult(answer);
    }
}
