namespace FeedGuard.Kite.Tests;

public class KiteRedactionTests
{
    [Theory]
    [InlineData("wss://ws.kite.trade", "wss://ws.kite.trade/")]
    [InlineData("wss://ws.kite.trade/?api_key=k&access_token=t", "wss://ws.kite.trade/?(redacted)")]
    [InlineData("ws://127.0.0.1:5000/kite?x=1", "ws://127.0.0.1:5000/kite?(redacted)")]
    [InlineData("https://user:pw@api.kite.trade/quote", "https://api.kite.trade/quote")]
    public void Url_DropsQueryAndUserInfo(string url, string expected)
    {
        Assert.Equal(expected, KiteRedaction.Url(new Uri(url)));
    }

    [Theory]
    [InlineData("failed for wss://ws.kite.trade/?api_key=k&access_token=t now", "failed for wss://ws.kite.trade/?(redacted) now")]
    [InlineData("bad access_token=abc&api_key=def", "bad access_token=***&api_key=***")]
    [InlineData("nothing to hide", "nothing to hide")]
    public void RedactQueries_BlanksQueriesAndCredentialParameters(string text, string expected)
    {
        Assert.Equal(expected, KiteRedaction.RedactQueries(text));
    }

    [Fact]
    public void CredentialsRedact_ReplacesTheirValues()
    {
        var credentials = new KiteCredentials { ApiKey = "key123", AccessToken = "tok456" };

        Assert.Equal("*** said *** and ab", credentials.Redact("key123 said tok456 and ab"));
    }
}
