using FeedGuard.Sources;

namespace FeedGuard.Tests.Sources;

public sealed class SourceTextTests
{
    private static string Redact(string text) => text.Replace("s3cret", "***", StringComparison.Ordinal);

    [Fact]
    public void Sanitize_RedactsBeforeBounding() =>
        Assert.Equal("token *** rejected", SourceText.Sanitize("token s3cret rejected", Redact));

    [Fact]
    public void Sanitize_LongText_IsCutWithAnEllipsis()
    {
        var text = SourceText.Sanitize(new string('x', 250) + "s3cret", Redact);

        Assert.Equal(new string('x', 200) + "…", text);
    }

    [Fact]
    public void Sanitize_HonoursTheGivenBound() =>
        Assert.Equal("abc…", SourceText.Sanitize("abcdef", Redact, 3));
}
