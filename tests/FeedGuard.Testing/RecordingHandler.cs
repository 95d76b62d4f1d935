using System.Net;
using System.Text;

namespace FeedGuard.Testing;

/// <summary>An HTTP handler that records each request and answers from a script.</summary>
public sealed class RecordingHandler(TimeProvider time, Func<RecordingHandler.Recorded, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    /// <summary>Every request, in order.</summary>
    public List<Recorded> Requests { get; } = [];

    /// <summary>How many requests were seen.</summary>
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
    public void WaitForCount(int count)
    {
        if (!SpinWait.SpinUntil(() => Count >= count, TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"expected {count} requests, saw {Count}");
        }
    }

    /// <summary>A JSON answer.</summary>
    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>A plain-text answer.</summary>
    public static HttpResponseMessage Text(string text, HttpStatusCode status) =>
        new(status) { Content = new StringContent(text, Encoding.UTF8, "text/plain") };

    // Synchronous on purpose: the first request of a poll and the pacing delay after it are then
    // set up before PollAsync returns, so a test can advance the fake clock straight away.
    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var body = "";
        if (request.Content is not null)
        {
            using var reader = new StreamReader(request.Content.ReadAsStream(cancellationToken));
            body = reader.ReadToEnd();
        }

        Recorded recorded;
        lock (Requests)
        {
            recorded = new Recorded(Requests.Count + 1, request.Method, request.RequestUri!, headers, body, time.GetUtcNow());
            Requests.Add(recorded);
        }

        return respond(recorded, cancellationToken);
    }

    /// <summary>One request as the broker would have seen it.</summary>
    public sealed record Recorded(int Number, HttpMethod Method, Uri Uri, Dictionary<string, string> Headers, string Body, DateTimeOffset At)
    {
        /// <summary>The <c>i</c> query values, decoded as the broker would read them.</summary>
        public IReadOnlyList<string> Instruments =>
            [.. Uri.Query.TrimStart('?').Split('&').Where(p => p.StartsWith("i=", StringComparison.Ordinal)).Select(p => WebUtility.UrlDecode(p[2..]))];
    }
}
