using System.Net;
using System.Text;

namespace FeedGuard.Kite.Tests.Polling;

/// <summary>An HTTP handler that records each request and answers from a script.</summary>
internal sealed class RecordingHandler(TimeProvider time, Func<RecordingHandler.Recorded, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    public List<Recorded> Requests { get; } = [];

    public sealed record Recorded(int Number, HttpMethod Method, Uri Uri, Dictionary<string, string> Headers, DateTimeOffset At)
    {
        /// <summary>The <c>i</c> values, decoded as the broker would read them.</summary>
        public IReadOnlyList<string> Instruments =>
            [.. Uri.Query.TrimStart('?').Split('&').Where(p => p.StartsWith("i=", StringComparison.Ordinal)).Select(p => System.Net.WebUtility.UrlDecode(p[2..]))];
    }

    // Synchronous on purpose: the first request of a poll and the pacing delay after it are then
    // set up before PollAsync returns, so a test can advance the fake clock straight away.
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Recorded recorded;
        lock (Requests)
        {
            recorded = new Recorded(Requests.Count + 1, request.Method, request.RequestUri!, headers, time.GetUtcNow());
            Requests.Add(recorded);
        }

        return respond(recorded, cancellationToken);
    }

    public int Count
    {
        get
        {
            lock (Requests)
            {
                return Requests.Count;
            }
        }
    }

    /// <summary>Waits (bounded) until <paramref name="count"/> requests were seen: a delay continuation runs on the pool.</summary>
    public void WaitForCount(int count) =>
        Assert.True(SpinWait.SpinUntil(() => Count >= count, TimeSpan.FromSeconds(10)), $"expected {count} requests, saw {Count}");

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Text(string text, HttpStatusCode status) =>
        new(status) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };
}
