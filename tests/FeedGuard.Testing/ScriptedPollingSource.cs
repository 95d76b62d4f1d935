using FeedGuard.Sources;

namespace FeedGuard.Testing;

/// <summary>
/// A polling source that answers with whatever the test's responder returns (ticks, misses, or a
/// thrown <see cref="FeedConnectionException"/>). Synchronous, like the scripted stream.
/// </summary>
public sealed class ScriptedPollingSource : IPollingSource
{
    private Func<StreamRequest, PollResult> _responder;
    private int _calls;

    /// <summary>Creates a source that answers with <paramref name="responder"/>.</summary>
    public ScriptedPollingSource(Func<StreamRequest, PollResult> responder)
    {
        _responder = responder;
    }

    /// <inheritdoc />
    public string Name => "scripted-poll";

    /// <summary>How many polls the feed made.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Replaces the responder (to make polling fail or recover mid-test).</summary>
    public void Respond(Func<StreamRequest, PollResult> responder) => _responder = responder;

    /// <summary>Makes every following poll fail with <paramref name="reason"/>.</summary>
    public void FailWith(DisconnectReason reason, string message = "scripted poll failure", TimeSpan? retryAfter = null) =>
        _responder = _ => throw new FeedConnectionException(reason, message, retryAfter);

    /// <inheritdoc />
    public ValueTask<PollResult> PollAsync(StreamRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            return ValueTask.FromResult(_responder(request));
        }
        catch (FeedConnectionException ex)
        {
            return ValueTask.FromException<PollResult>(ex);
        }
    }
}
