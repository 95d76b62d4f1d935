namespace FeedGuard.Emulator.Hosting;

/// <summary>The emulator is a test double with demo credentials: it must never listen beyond this machine.</summary>
internal static class LoopbackUrls
{
    public static string[] Validate(string urls)
    {
        var list = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in list)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException($"EmulatorOptions.Urls: '{url}' is not an http(s) URL.", nameof(urls));
            }

            var host = uri.Host;
            var loopback = host is "127.0.0.1" or "[::1]" or "::1" || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);
            if (!loopback)
            {
                throw new ArgumentException($"EmulatorOptions.Urls: '{url}' is not loopback; the emulator binds only to 127.0.0.1, [::1] or localhost.", nameof(urls));
            }
        }

        return list;
    }
}
