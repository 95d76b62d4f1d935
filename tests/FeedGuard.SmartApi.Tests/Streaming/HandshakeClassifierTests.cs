using System.Net;
using System.Net.WebSockets;
using FeedGuard.SmartApi.Streaming;
using FeedGuard.Sources;

namespace FeedGuard.SmartApi.Tests.Streaming;

public class HandshakeClassifierTests
{
    private static readonly SmartApiCredentials Credentials = new() { ApiKey = "key-123", ClientCode = "C0001", JwtToken = "jwt-secret-value", FeedToken = "feed-secret" };
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WebSocketException Cause = new("The server returned status code '401' when status code '101' was expected.");

    private static Dictionary<string, IEnumerable<string>> Headers(string name, string value) => new() { [name] = [value] };

    [Fact]
    public void Classify_401WithErrorMessage_IsAuthRejectedWithTheServersMessage()
    {
        var ex = HandshakeClassifier.Classify(HttpStatusCode.Unauthorized, Headers("X-Error-Message", "Invalid Header - Invalid Feed Token"), Cause, Credentials, Now);

        Assert.Equal(DisconnectReason.AuthRejected, ex.Reason);
        Assert.Contains("Invalid Header - Invalid Feed Token", ex.Message, StringComparison.Ordinal);
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_401WithoutHeader_IsStillAuthRejected()
    {
        var ex = HandshakeClassifier.Classify(HttpStatusCode.Unauthorized, null, Cause, Credentials, Now);

        Assert.Equal(DisconnectReason.AuthRejected, ex.Reason);
    }

    [Fact]
    public void Classify_ServerMessageQuotingACredential_IsRedacted()
    {
        var ex = HandshakeClassifier.Classify(HttpStatusCode.Unauthorized, Headers("x-error-message", "bad token jwt-secret-value"), Cause, Credentials, Now);

        Assert.DoesNotContain("jwt-secret-value", ex.Message, StringComparison.Ordinal);
        Assert.Contains("***", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_429_IsRateLimitedHonouringRetryAfter()
    {
        var ex = HandshakeClassifier.Classify(HttpStatusCode.TooManyRequests, Headers("Retry-After", "30"), Cause, Credentials, Now);

        Assert.Equal(DisconnectReason.RateLimited, ex.Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData((HttpStatusCode)0)]
    public void Classify_AnythingElse_IsNetworkError(HttpStatusCode status)
    {
        var ex = HandshakeClassifier.Classify(status, null, Cause, Credentials, Now);

        Assert.Equal(DisconnectReason.NetworkError, ex.Reason);
        Assert.Null(ex.RetryAfter);
    }
}
