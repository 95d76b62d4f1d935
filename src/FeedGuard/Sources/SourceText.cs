namespace FeedGuard.Sources;

/// <summary>
/// Broker and runtime text on its way into status, events and logs: credentials blanked and the
/// length bounded, so a chatty or hostile server cannot flood a log line or echo a secret.
/// </summary>
public static class SourceText
{
    /// <summary><paramref name="text"/> redacted, then cut to <paramref name="maxLength"/> characters with an ellipsis.</summary>
    public static string Sanitize(string text, Func<string, string> redact, int maxLength = 200)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(redact);
        text = redact(text);
        return text.Length <= maxLength ? text : text[..maxLength] + "…";
    }
}
