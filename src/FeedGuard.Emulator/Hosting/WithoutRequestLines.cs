using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedGuard.Emulator.Hosting;

/// <summary>
/// The caller's logger factory minus ASP.NET Core's request lines. Those quote the query string, and
/// the Kite ticker takes <c>api_key</c> and <c>access_token</c> there, so an emulator sharing a host's
/// logging would write a client's credentials into the host's logs.
/// </summary>
internal sealed class WithoutRequestLines(ILoggerFactory inner) : ILoggerFactory
{
    private const string RequestLineCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    public ILogger CreateLogger(string categoryName) =>
        string.Equals(categoryName, RequestLineCategory, StringComparison.Ordinal) ? NullLogger.Instance : inner.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose()
    {
        // The caller owns the inner factory.
    }
}
