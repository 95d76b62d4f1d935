using System.Net;
using System.Text;

namespace FeedGuard.SmartApi.Tests.Polling;

/// <summary>An HTTP handler that records each request and answers from a script.</summary>
internal sealed class RecordingHandler(TimeProvider time, Func<RecordingHandler.Recorded, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    public List<Recorded> Requests { get; } = [];

    public sealed record Recorded(int Number, HttpMethod Method, Uri Uri, Dictionary<string, string> Headers, string Body, DateTimeOffset At);

    // Synchronous on purpose: the first request of a poll and the pacing delay after it are then
    // set up before PollAsync returns, so a test can advance the fake clock straight away.
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
