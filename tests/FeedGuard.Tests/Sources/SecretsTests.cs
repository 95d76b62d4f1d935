using FeedGuard.Sources;

namespace FeedGuard.Tests.Sources;

public sealed class SecretsTests
{
    [Theory]
    [InlineData("", "(empty)")]
    [InlineData("eyJhbGciOi", "***")]
    public void Mask_ShowsOnlyWhetherItIsSet(string value, string shown) => Assert.Equal(shown, Secrets.Mask(value));

    [Fact]
    public void Redact_BlanksEveryOccurrenceOfEachSecret() =>
        Assert.Equal("token *** for key *** (again ***)", Secrets.Redact("token abc123 for key KEY9 (again abc123)", "abc123", "KEY9"));

    [Fact]
    public void Redact_LeavesSecretsTooShortToMatterAndEmptyOnes() =>
        Assert.Equal("a 12 b", Secrets.Redact("a 12 b", "12", ""));
}
