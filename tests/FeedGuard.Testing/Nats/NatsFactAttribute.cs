using Xunit;

namespace FeedGuard.Testing.Nats;

/// <summary>
/// A test that needs a real nats-server: on a developer machine without it, skipped saying why;
/// under CI (<c>CI=true</c>, where .ci/run installs it) it runs and fails loudly if it is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NatsFactAttribute : FactAttribute
{
    /// <summary>Skips when nats-server is missing, unless under CI.</summary>
    public NatsFactAttribute()
    {
        if (NatsServerProcess.ExecutablePath is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "nats-server is not installed: `apt-get install -y nats-server` (.ci/run does) to run the NATS JetStream tests.";
        }
    }
}
