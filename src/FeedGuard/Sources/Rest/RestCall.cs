using System.Globalization;
using System.Text.Json;

namespace FeedGuard.Sources.Rest;

/// <summary>
/// The transport half of one broker REST request, the same for every broker: a per-request
/// timeout on the injected clock, the whole body read, and transport failures classified as
/// <see cref="DisconnectReason.NetworkError"/> with credentials redacted from the runtime's text.
/// What the answer means (status codes, envelopes) is the broker's business.
/// </summary>
public static class RestCall
{
    /// <summary>Sends <paramref name="request"/> and hands the response and its body to <paramref name="interpret"/>.</summary>
    /// <param name="http">The host's client.</param>
    /// <param name="request">The request; the caller disposes it.</param>
    /// <param name="what">How messages name the request, e.g. <c>Kite quote request</c>.</param>
    /// <param name="timeout">The bound on one request.</param>
    /// <param name="timeoutKey">The configuration key of <paramref name="timeout"/>, named when it expires.</param>
    /// <param name="redact">Blanks credentials in the runtime's exception text.</param>
    /// <param name="interpret">Reads the answer; runs before the response is disposed.</param>
    /// <param name="time">The clock for the timeout.</param>
    /// <param name="cancellationToken">Cancels the request; a cancellation is rethrown, not classified.</param>
    public static async Task<T> SendAsync<T>(
        HttpClient http,
        HttpRequestMessage request,
        string what,
        TimeSpan timeout,
        string timeoutKey,
        Func<string, string> redact,
        Func<HttpResponseMessage, byte[], T> interpret,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(redact);
        ArgumentNullException.ThrowIfNull(interpret);
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            return interpret(response, body);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            throw new FeedConnectionException(DisconnectReason.NetworkError, $"{what} timed out after {seconds} s ({timeoutKey}).");
        }
        catch (HttpRequestException ex)
        {
            // The runtime's exception is described, redacted, rather than attached: its text is not ours to trust.
            throw new FeedConnectionException(DisconnectReason.NetworkError, $"{what} failed: {redact(ex.Message)}");
        }
    }

    /// <summary>The body as a JSON object, or null when it is empty, not an object, or not JSON.</summary>
    public static JsonElement? TryParseObject(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.Length == 0 || body[0] != (byte)'{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
