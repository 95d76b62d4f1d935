using FeedGuard.Sources;

namespace FeedGuard.Tests.Sources;

public sealed class OptionProblemsTests
{
    private readonly OptionProblems _problems = new("FeedGuard:Test");

    [Fact]
    public void Url_WrongSchemeOrRelative_NamesTheKeyTheSchemesAndHowItMayBeShown()
    {
        Assert.True(_problems.Url("StreamUrl", new Uri("wss://host/"), "wss://host/", "ws", "wss"));
        Assert.False(_problems.Url("StreamUrl", new Uri("https://host/?k=1"), "https://host/?(redacted)", "ws", "wss"));
        Assert.False(_problems.Url("RestUrl", new Uri("/quote", UriKind.Relative), "/quote", "http", "https"));

        Assert.Equal(
            [
                "FeedGuard:Test:StreamUrl must be an absolute ws:// or wss:// URL; got 'https://host/?(redacted)'.",
                "FeedGuard:Test:RestUrl must be an absolute http:// or https:// URL; got '/quote'.",
            ],
            _problems.All);
    }

    [Fact]
    public void NumberChecks_NameTheKeyAndTheValue()
    {
        _problems.Positive("ConnectTimeout", TimeSpan.Zero);
        _problems.Positive("PollRequestTimeout", TimeSpan.FromSeconds(1));
        _problems.Range("MaxSockets", 4, 1, 3);
        _problems.Range("MaxSockets", 3, 1, 3);
        _problems.PositiveRate("PollRequestsPerSecond", double.PositiveInfinity);
        _problems.PositiveRate("PollRequestsPerSecond", double.NaN);
        _problems.PositiveRate("PollRequestsPerSecond", 0.5);

        Assert.Equal(
            [
                "FeedGuard:Test:ConnectTimeout must be positive; got 00:00:00.",
                "FeedGuard:Test:MaxSockets must be between 1 and 3 (the broker's limit); got 4.",
                "FeedGuard:Test:PollRequestsPerSecond must be a positive number; got Infinity.",
                "FeedGuard:Test:PollRequestsPerSecond must be a positive number; got NaN.",
            ],
            _problems.All);
    }

    [Fact]
    public void KeepAlive_ZeroIntervalAndInfiniteTimeoutAreFine_NegativeOrZeroTimeoutIsNot()
    {
        _problems.KeepAlive("KeepAliveInterval", TimeSpan.Zero, "KeepAliveTimeout", Timeout.InfiniteTimeSpan);
        Assert.Empty(_problems.All);

        _problems.KeepAlive("KeepAliveInterval", TimeSpan.FromSeconds(-1), "KeepAliveTimeout", TimeSpan.Zero);
        Assert.Equal(
            ["FeedGuard:Test:KeepAliveInterval must be zero (off) or positive.", "FeedGuard:Test:KeepAliveTimeout must be positive."],
            _problems.All);
    }

    [Fact]
    public void ThrowIfAny_ListsEveryProblemAfterThePrefix()
    {
        OptionProblems.ThrowIfAny([], "Invalid Test options: ");
        _problems.Add("A", "is wrong.");
        _problems.Add("B", "is wrong too.");

        var error = Assert.Throws<ArgumentException>(() => OptionProblems.ThrowIfAny(_problems.All, "Invalid Test options: "));
        Assert.Equal("Invalid Test options: FeedGuard:Test:A is wrong. FeedGuard:Test:B is wrong too.", error.Message);
    }
}
