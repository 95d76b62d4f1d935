using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FeedGuard.Server.Tests.Dashboard;

/// <summary>
/// Regenerates <c>docs/dashboard.png</c> for the README with the end-to-end test's setup: demo mode,
/// 1280×800, a stall and its recovery with history on both sides. Opt-in, because it writes into the
/// source tree and takes about a minute and a half:
/// <c>FEEDGUARD_README_SCREENSHOT=1 dotnet test tests/FeedGuard.Server.Tests --filter ReadmeScreenshot</c>.
/// </summary>
public sealed class ReadmeScreenshot
{
    private const string Switch = "FEEDGUARD_README_SCREENSHOT";

    [ReadmeScreenshotFact]
    public async Task ReadmeScreenshot_StallAndRecovery_WritesDocsDashboardPng()
    {
        await using var gateway = await TestGateway.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        var problems = DashboardTests.WatchForProblems(page);
        var label = page.Locator("#status-label");
        await page.GotoAsync(gateway.BaseUrl.ToString());
        await Expect(label).ToHaveTextAsync("streaming", new() { Timeout = 20_000 });

        // The chart counts the seconds it holds; the story is told in chart time.
        await ChartHoldsAsync(page, seconds: 45);
        await page.Locator("button[data-fault='stall']").ClickAsync();
        await Expect(label).ToHaveTextAsync("polling", new() { Timeout = 10_000 });
        await ChartHoldsAsync(page, seconds: 70);
        await page.Locator("button[data-fault='clear']").ClickAsync();
        await Expect(label).ToHaveTextAsync("streaming", new() { Timeout = 30_000 });
        await ChartHoldsAsync(page, seconds: 95);

        var path = Path.Combine(RepositoryRoot(), "docs", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        Assert.True(new FileInfo(path).Length is > 10_000 and < 600_000, $"{path} is {new FileInfo(path).Length} bytes");
        Assert.True(problems.IsEmpty, "the page reported problems:\n" + string.Join('\n', problems));
    }

    private static Task ChartHoldsAsync(IPage page, int seconds) =>
        page.WaitForFunctionAsync(
            "n => Number(document.getElementById('chart').dataset.seconds) >= n",
            seconds,
            new PageWaitForFunctionOptions { Timeout = (seconds + 30) * 1000f, PollingInterval = 250 });

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FeedGuard.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FeedGuard.slnx not found above the test assembly");
    }

    [AttributeUsage(AttributeTargets.Method)]
    private sealed class ReadmeScreenshotFactAttribute : FactAttribute
    {
        public ReadmeScreenshotFactAttribute()
        {
            if (Environment.GetEnvironmentVariable(Switch) != "1")
            {
                Skip = $"Writes docs/dashboard.png; run with {Switch}=1 to regenerate it.";
            }
            else if (!Chromium.IsInstalled)
            {
                Skip = $"Chromium is not installed at {Chromium.Path}.";
            }
        }
    }
}
