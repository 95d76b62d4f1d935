using Microsoft.Playwright;

namespace FeedGuard.Server.Tests.Dashboard;

/// <summary>
/// Debian's Chromium driven by Playwright. Playwright cannot download its own browser here, so it
/// launches the system one by path; <c>.ci/run</c> installs it with apt-get.
/// </summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    /// <summary>
    /// CI runs as root (no sandbox) on a machine without a GPU or outside network, so nothing that
    /// would phone home or wait for one is switched on.
    /// </summary>
    private static readonly string[] Args =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];

    public static bool IsInstalled => File.Exists(Path);

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = Args,
            Timeout = 60_000,
        });
}

/// <summary>
/// A test that needs Chromium: on a developer machine without it, skipped saying why; under CI
/// (<c>CI=true</c>, where .ci/run installs it) it runs and fails loudly if the browser is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!Chromium.IsInstalled && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"Chromium is not installed at {Chromium.Path}: install it with `apt-get install -y chromium` (.ci/run does) to run the dashboard end-to-end test.";
        }
    }
}
