using FeedGuard.Instruments;

namespace FeedGuard.Nats;

/// <summary>Subjects on the bus: one per instrument, <c>&lt;prefix&gt;.&lt;EXCHANGE&gt;.&lt;token&gt;</c> (e.g. <c>feedguard.ticks.NSE.3045</c>).</summary>
public static class TickSubjects
{
    /// <summary>The default JetStream stream.</summary>
    public const string DefaultStream = "FEEDGUARD_TICKS";

    /// <summary>The default prefix.</summary>
    public const string DefaultPrefix = "feedguard.ticks";

    /// <summary>The subject of one instrument's ticks.</summary>
    public static string For(string prefix, InstrumentKey instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return $"{prefix}.{instrument.Exchange.ToName()}.{instrument.Token}";
    }

    /// <summary>Every instrument under <paramref name="prefix"/>: the stream's subject.</summary>
    public static string All(string prefix) => prefix + ".>";

    /// <summary>
    /// What is wrong with a stream name and subject prefix, each naming its key under
    /// <paramref name="keyPrefix"/>: the check the publisher's and the consumer's options share.
    /// </summary>
    internal static IEnumerable<string> Problems(string keyPrefix, string? stream, string? subjectPrefix)
    {
        if (string.IsNullOrEmpty(stream) || !stream.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            yield return $"{keyPrefix}Stream must be letters, digits, '_' or '-' (got '{stream}').";
        }

        if (!IsValidPrefix(subjectPrefix))
        {
            yield return $"{keyPrefix}SubjectPrefix must be dot-separated tokens of letters, digits, '_' or '-' with no wildcards (got '{subjectPrefix}').";
        }
    }

    /// <summary>True when <paramref name="prefix"/> is one or more plain subject tokens.</summary>
    public static bool IsValidPrefix(string? prefix) =>
        !string.IsNullOrEmpty(prefix)
        && prefix.Split('.').All(t => t.Length > 0 && t.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'));
}
