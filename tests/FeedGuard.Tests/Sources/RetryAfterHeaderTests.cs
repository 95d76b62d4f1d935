using System.Net.Http.Headers;
using FeedGuard.Sources;

namespace FeedGuard.Tests.Sources;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 4, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("120", 120)]
    [InlineData(" 7 ", 7)]
    [InlineData("0", 0)]
    [InlineData("999999999", 86_400)]
    public void Parse_DeltaSeconds_IsTheWaitCappedAtADay(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterHeader.Parse(value, Now));

    [Fact]
    public void Parse_HttpDate_IsTheTimeUntilThen() =>
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfterHeader.Parse(Now.AddSeconds(90).ToString("r"), Now));

    [Fact]
    public void Parse_DateInThePast_IsZero() =>
        Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse(Now.AddMinutes(-5).ToString("r"), Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-5")]
    public void Parse_AbsentOrUnreadable_IsNull(string? value) => Assert.Null(RetryAfterHeader.Parse(value, Now));

    [Fact]
    public void From_ParsedHeader_ReadsDeltaOrDate()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfterHeader.From(new RetryConditionHeaderValue(TimeSpan.FromSeconds(30)), Now));
        Assert.Equal(TimeSpan.FromMinutes(2), RetryAfterHeader.From(new RetryConditionHeaderValue(Now.AddMinutes(2)), Now));
        Assert.Null(RetryAfterHeader.From(null, Now));
    }
}
