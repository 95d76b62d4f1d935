using System.Globalization;

namespace FeedGuard.Sources;

/// <summary>
/// Collects what is wrong with a source's options, each problem naming its configuration key
/// (<c>Section:Key must …; got …</c>), so a bad configuration fails at start saying what to fix.
/// The checks every broker's options share live here; broker-specific ones are added with
/// <see cref="Add"/>.
/// </summary>
public sealed class OptionProblems
{
    private readonly List<string> _problems = [];

    /// <summary>Creates an empty list for options read from configuration section <paramref name="section"/>.</summary>
    public OptionProblems(string section)
    {
        ArgumentException.ThrowIfNullOrEmpty(section);
        Section = section;
    }

    /// <summary>The configuration section every key is named under.</summary>
    public string Section { get; }

    /// <summary>Every problem found so far, in order.</summary>
    public IReadOnlyList<string> All => _problems;

    /// <summary><c>Section:key problem</c>.</summary>
    public string Key(string key, string problem) => $"{Section}:{key} {problem}";

    /// <summary>Adds a problem with <paramref name="key"/>.</summary>
    public void Add(string key, string problem) => _problems.Add(Key(key, problem));

    /// <summary>
    /// Requires an absolute URL with one of <paramref name="schemes"/>. <paramref name="shown"/> is
    /// how the URL may be printed (for example without a query that could hold credentials).
    /// Returns whether it passed.
    /// </summary>
    public bool Url(string key, Uri url, string shown, params string[] schemes)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.IsAbsoluteUri && schemes.Contains(url.Scheme, StringComparer.Ordinal))
        {
            return true;
        }

        Add(key, $"must be an absolute {string.Join(" or ", schemes.Select(s => s + "://"))} URL; got '{shown}'.");
        return false;
    }

    /// <summary>Requires a positive duration.</summary>
    public void Positive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            Add(key, $"must be positive; got {value}.");
        }
    }

    /// <summary>Requires a positive, finite rate.</summary>
    public void PositiveRate(string key, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            Add(key, $"must be a positive number; got {value.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>Requires <paramref name="min"/> ≤ value ≤ <paramref name="max"/>, the broker's limit.</summary>
    public void Range(string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            Add(key, $"must be between {min} and {max} (the broker's limit); got {value}.");
        }
    }

    /// <summary>
    /// The client keep-alive PING: an interval of zero (off) or more, and a positive timeout or
    /// <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public void KeepAlive(string intervalKey, TimeSpan interval, string timeoutKey, TimeSpan timeout)
    {
        if (interval < TimeSpan.Zero)
        {
            Add(intervalKey, "must be zero (off) or positive.");
        }

        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            Add(timeoutKey, "must be positive.");
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem, after <paramref name="prefix"/>, when there is any.</summary>
    public static void ThrowIfAny(IReadOnlyList<string> problems, string prefix)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count > 0)
        {
            throw new ArgumentException(prefix + string.Join(" ", problems));
        }
    }
}
