using FeedGuard.Sources;

namespace FeedGuard.Tests.Sources;

public sealed class CredentialsCallbackTests
{
    private sealed record Credentials(string Key, string Token);

    private static Credentials Read(Func<Credentials> callback) =>
        CredentialsCallback.Read(callback, "Test", c => c.Key.Length > 0 && c.Token.Length > 0, "Test needs Test:Key and Test:Token.");

    [Fact]
    public void Read_CompleteCredentials_AreReturned()
    {
        var credentials = new Credentials("k", "t");
        Assert.Same(credentials, Read(() => credentials));
    }

    [Fact]
    public void Read_ThrowingCallback_IsANetworkErrorThatNamesOnlyTheExceptionType()
    {
        var failure = Assert.Throws<FeedConnectionException>(() => Read(() => throw new InvalidOperationException("token s3cret expired")));

        Assert.Equal(DisconnectReason.NetworkError, failure.Reason);
        Assert.Equal("Test credentials callback failed: InvalidOperationException.", failure.Message);
    }

    [Fact]
    public void Read_MissingCredential_IsAnAuthRejectionNamingTheKeys()
    {
        var failure = Assert.Throws<FeedConnectionException>(() => Read(() => new Credentials("k", "")));

        Assert.Equal(DisconnectReason.AuthRejected, failure.Reason);
        Assert.Equal("Test needs Test:Key and Test:Token.", failure.Message);
    }

    [Fact]
    public void Read_NullCredentials_IsAnAuthRejection() =>
        Assert.Equal(DisconnectReason.AuthRejected, Assert.Throws<FeedConnectionException>(() => Read(() => null!)).Reason);
}
