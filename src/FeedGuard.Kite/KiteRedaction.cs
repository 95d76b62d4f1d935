using System.Text.RegularExpressions;

namespace FeedGuard.Kite;

/// <summary>
/// Keeps credentials out of anything printed. The ticker URL carries <c>api_key</c> and
/// <c>access_token</c> in its query string, so a URL is only ever shown without its query, and any
/// text that might quote one (runtime exception messages) has its query strings and credential
/// parameters blanked.
/// </summary>
internal static partial class KiteRedaction
{
    /// <summary>What replaces a removed query string.</summary>
    public const string RedactedQuery = "?(redacted)";

    /// <summary><paramref name="url"/> without user info or query: <c>wss://ws.kite.trade/?(redacted)</c>.</summary>
    public static string Url(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            return RedactQueries(url.OriginalString);
        }

        var text = url.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return string.IsNullOrEmpty(url.Query) ? text : text + RedactedQuery;
    }

    /// <summary>True when the query of <paramref name="url"/> names <c>api_key</c> or <c>access_token</c>.</summary>
    public static bool HasCredentialParameter(Uri url) =>
        url.IsAbsoluteUri && url.Query.Length > 1 && url.Query[1..].Split('&').Any(p =>
            p.StartsWith("api_key=", StringComparison.OrdinalIgnoreCase) || p.StartsWith("access_token=", StringComparison.OrdinalIgnoreCase));

    /// <summary>Blanks every URL query string and every <c>api_key=</c>/<c>access_token=</c> value in <paramref name="text"/>.</summary>
    public static string RedactQueries(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        text = UrlWithQuery().Replace(text, m => m.Groups["base"].Value + RedactedQuery);
        return CredentialParameter().Replace(text, m => m.Groups["name"].Value + "=***");
    }

    [GeneratedRegex(@"(?<base>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s?#""']*)\?[^\s#""']*", RegexOptions.CultureInvariant)]
    private static partial Regex UrlWithQuery();

    [GeneratedRegex(@"(?<name>api_key|access_token|token)=[^&\s""']*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CredentialParameter();
}
