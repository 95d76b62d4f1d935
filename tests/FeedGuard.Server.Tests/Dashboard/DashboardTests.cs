using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FeedGuard.Server.Tests.Dashboard;

/// <summary>
/// The dashboard in real headless Chromium against the real gateway in demo mode: what a person sees
/// when the stream stalls and comes back. Every wait is on a page condition with a bound.
/// </summary>
public sealed class DashboardTests
{
    private const string Green = "rgb(63, 185, 80)";
    private const string Amber = "rgb(227, 179, 65)";

    /// <summary>
    /// Beyond the configured threshold the page may add: the SmartAPI heartbeat's detection granularity
    /// (its 1 s ping), the feed's timer, and the stream's next flush (100 ms), on a busy 2-core machine.
    /// </summary>
    private static readonly TimeSpan DetectionAllowance = TimeSpan.FromSeconds(3);

    private readonly ITestOutputHelper _output;

    public DashboardTests(ITestOutputHelper output) => _output = output;

    /// <summary>Screenshots land here, beside the test assembly, for a person (or CI) to look at.</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard");

    [ChromiumFact]
    public async Task Dashboard_StallThenClear_TurnsPollingWithMovingPricesThenStreamingAgain()
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        await using var gateway = await TestGateway.StartAsync();
        var threshold = TimeSpan.FromSeconds((double)(await gateway.StatusAsync())["heartbeat_threshold"]!);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page);
        var label = page.Locator("#status-label");

        await page.GotoAsync(gateway.BaseUrl.ToString());

        // Streaming: green, every row priced from the stream, nothing wider than the screen.
        await Expect(label).ToHaveTextAsync("streaming", new() { Timeout = 20_000 });
        await AssertLightAsync(page, "streaming", Green);
        await WaitForEveryRowAsync(page, "stream");
        await AssertNoHorizontalOverflowAsync(page, "1280x800");
        await ScreenshotAsync(page, "1-streaming-1280x800.png");

        // Stall: yellow "polling" within the threshold, and the prices keep moving, now from polls.
        await page.Locator("button[data-fault='stall']").ClickAsync();
        var sinceStall = Stopwatch.StartNew();
        await Expect(label).ToHaveTextAsync("polling", new() { Timeout = (float)(threshold + DetectionAllowance).TotalMilliseconds });
        _output.WriteLine($"stall → polling on the page after {sinceStall.Elapsed.TotalSeconds:0.0} s (heartbeat threshold {threshold.TotalSeconds:0.#} s)");
        await AssertLightAsync(page, "polling", Amber);
        await WaitForEveryRowAsync(page, "poll");
        var before = await page.EvalOnSelectorAllAsync<string[]>("#instrument-rows .price", "cells => cells.map(c => c.textContent)");
        await page.WaitForFunctionAsync(
            """
            before => {
              const rows = [...document.querySelectorAll('#instrument-rows tr')];
              return rows.every(tr => tr.querySelector('.source').dataset.source === 'poll')
                && rows.some((tr, i) => tr.querySelector('.price').textContent !== before[i]);
            }
            """,
            before,
            new PageWaitForFunctionOptions { Timeout = 15_000, PollingInterval = 100 });
        await ScreenshotAsync(page, "2-polling-1280x800.png");

        // Clear: green "streaming" again, rows back on the stream, the failover in the timeline.
        await page.Locator("button[data-fault='clear']").ClickAsync();
        await Expect(label).ToHaveTextAsync("streaming", new() { Timeout = 30_000 });
        await AssertLightAsync(page, "streaming", Green);
        await WaitForEveryRowAsync(page, "stream");
        await Expect(page.Locator("#timeline-list li.change[data-to='polling']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#timeline-list li.change[data-to='streaming']")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "3-recovered-1280x800.png");

        // A phone: one column, still nothing wider than the screen.
        await page.SetViewportSizeAsync(390, 844);
        await Expect(page.Locator(".layout")).ToHaveCSSAsync("flex-direction", "column");
        await AssertNoHorizontalOverflowAsync(page, "390x844");
        await ScreenshotAsync(page, "4-phone-390x844.png", fullPage: true);

        Assert.True(problems.IsEmpty, "the page reported problems:\n" + string.Join('\n', problems));
    }

    [ChromiumFact]
    public async Task Dashboard_KiteDemo_SaysWhichBrokerAndThatItIsEmulated()
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["FeedGuard:Broker"] = "Kite" });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        var problems = WatchForProblems(page);

        await page.GotoAsync(gateway.BaseUrl.ToString());

        await Expect(page.Locator("#status-label")).ToHaveTextAsync("streaming", new() { Timeout = 20_000 });
        await Expect(page.Locator("#broker")).ToHaveTextAsync("Zerodha Kite · emulated");
        await Expect(page.Locator("#broker")).ToHaveAttributeAsync("data-broker", "kite");
        await Expect(page.Locator("#demo-badge")).ToBeVisibleAsync();
        await Expect(page.Locator("#faults")).ToBeVisibleAsync();
        await WaitForEveryRowAsync(page, "stream");
        await ScreenshotAsync(page, "5-kite-demo-1280x800.png");

        Assert.True(problems.IsEmpty, "the page reported problems:\n" + string.Join('\n', problems));
    }

    /// <summary>Console errors, uncaught exceptions, and any request that would leave the machine.</summary>
    internal static ConcurrentQueue<string> WatchForProblems(IPage page)
    {
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Enqueue($"console error: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Enqueue($"uncaught: {error}");
        page.Request += (_, request) =>
        {
            if (Uri.TryCreate(request.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss" && !uri.IsLoopback)
            {
                problems.Enqueue($"request off the machine: {request.Url}");
            }
        };
        return problems;
    }

    private static async Task AssertLightAsync(IPage page, string state, string colour)
    {
        var light = page.Locator("#status-light");
        await Expect(light).ToHaveAttributeAsync("data-state", state);
        await Expect(light).ToHaveCSSAsync("background-color", colour);
    }

    private static Task WaitForEveryRowAsync(IPage page, string source) =>
        page.WaitForFunctionAsync(
            """
            source => {
              const rows = [...document.querySelectorAll('#instrument-rows tr')];
              return rows.length === 5 && rows.every(tr =>
                tr.querySelector('.source').dataset.source === source && /\d/.test(tr.querySelector('.price').textContent));
            }
            """,
            source,
            new PageWaitForFunctionOptions { Timeout = 15_000, PollingInterval = 100 });

    // Elements reaching past the viewport's right edge (the first ten), or the page scrolling sideways.
    private const string FindOverflow =
        """
        () => {
          const width = document.documentElement.clientWidth;
          const found = [];
          if (document.documentElement.scrollWidth > width) found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.right > width + 0.5) found.push(`${e.tagName.toLowerCase()}#${e.id}.${e.className} ends at ${Math.round(r.right)} > ${width}`);
          }
          return found.slice(0, 10);
        }
        """;

    private static async Task AssertNoHorizontalOverflowAsync(IPage page, string viewport)
    {
        // The charts follow a new viewport from a ResizeObserver, a frame or more after the layout: wait
        // (bounded) for the page to settle, then report whatever still sticks out.
        try
        {
            await page.WaitForFunctionAsync($"() => ({FindOverflow})().length === 0", null, new PageWaitForFunctionOptions { Timeout = 5_000, PollingInterval = 100 });
        }
        catch (TimeoutException)
        {
        }

        var offenders = await page.EvaluateAsync<string[]>(FindOverflow);
        Assert.True(offenders.Length == 0, $"at {viewport}:\n" + string.Join('\n', offenders));
    }

    private async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        var path = Path.Combine(ArtifactsDirectory, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        _output.WriteLine($"screenshot: {path}");
    }
}
