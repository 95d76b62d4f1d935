namespace FeedGuard.Server.Tests;

/// <summary>Waits for a condition with a bound (never a fixed sleep): checks, then re-checks every 50 ms until true or out of time.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within, Func<string> because)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"After {within.TotalSeconds:0.#} s: {because()}");
            }

            await Task.Delay(50);
        }
    }
}
