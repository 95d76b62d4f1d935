namespace FeedGuard.Sources;

/// <summary>
/// Keeps credential values out of anything printed, the same way for every broker: a secret is
/// shown only as whether it is set, and server or runtime text that quotes one has it blanked.
/// </summary>
public static class Secrets
{
    /// <summary>What a credential looks like when printed: <c>(empty)</c> or <c>***</c>.</summary>
    public static string Mask(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 ? "(empty)" : "***";
    }

    /// <summary>
    /// <paramref name="text"/> with every occurrence of each secret replaced by <c>***</c>. Secrets
    /// shorter than three characters are left alone: blanking them would shred ordinary text and
    /// hide nothing worth hiding.
    /// </summary>
    public static string Redact(string text, params ReadOnlySpan<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in secrets)
        {
            if (secret.Length >= 3 && text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }
}
