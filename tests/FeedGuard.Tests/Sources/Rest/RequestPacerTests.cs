using System.Net.Http.Headers;
using FeedGuard.Sources;
using FeedGuard.Sources.Rest;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.Tests.Sources.Rest;

public sealed class RequestPacerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 4, 0, 0, TimeSpan.Zero));

    private static Task Answered(CancellationToken cancellationToken) => Task.CompletedTask;

    private RequestPacer Pacer(double perSecond = 2) => new(perSecond, TimeSpan.FromSeconds(60), "Test quote endpoint", _time);

    [Fact]
    public void Spacing_IsOneOverTheRate() => Assert.Equal(TimeSpan.FromMilliseconds(500), Pacer(2).Spacing);

    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    public async Task SendAsync_NextRequestWaitsAWholeSpacingAfterThePreviousAnswer(int answerMilliseconds)
    {
        // A request the broker may have counted only just before it answered: had the next one left a
        // spacing after the first left, the broker could count two within one spacing.
        var pacer = Pacer(2);
        var answer = new TaskCompletionSource();
        var first = pacer.SendAsync(_ => answer.Task, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(answerMilliseconds));
        answer.SetResult();
        await first;

        var sent = false;
        var second = pacer.SendAsync(_ => { sent = true; return Task.CompletedTask; }, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(sent);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(sent);
    }

    [Fact]
    public async Task SendAsync_FailedRequest_StillSpacesTheNextFromItsEnd()
    {
        var pacer = Pacer(2);
        await Assert.ThrowsAsync<HttpRequestException>(() => pacer.SendAsync(_ => throw new HttpRequestException("refused"), CancellationToken.None));

        var second = pacer.SendAsync(Answered, CancellationToken.None);
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SendAsync_AfterTheSpacingHasPassed_DoesNotWait()
    {
        var pacer = Pacer(2);
        await pacer.SendAsync(Answered, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.True(pacer.SendAsync(Answered, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CoolDown_WithoutRetryAfter_RefusesUntilItEnds()
    {
        var pacer = Pacer(1);

        Assert.Equal(TimeSpan.FromSeconds(2), pacer.CoolDown(null));
        _time.Advance(TimeSpan.FromSeconds(1.5));

        var refused = await Assert.ThrowsAsync<FeedConnectionException>(() => pacer.SendAsync(Answered, CancellationToken.None));
        Assert.Equal(DisconnectReason.RateLimited, refused.Reason);
        Assert.Equal(TimeSpan.FromSeconds(0.5), refused.RetryAfter);
        Assert.Equal("Test quote endpoint is rate limiting; cooling down for 0.5 s more.", refused.Message);

        _time.Advance(TimeSpan.FromSeconds(0.5));
        await pacer.SendAsync(Answered, CancellationToken.None);
    }

    [Fact]
    public void CoolDown_InARowWithoutRetryAfter_DoublesFromTwoSpacingsUpToTheDefault()
    {
        // A limit tripped once costs two seconds of quotes; one that persists soon gets the whole minute.
        var pacer = Pacer(1);

        var waits = Enumerable.Range(0, 8).Select(_ => pacer.CoolDown(null).TotalSeconds);

        Assert.Equal([2, 4, 8, 16, 32, 60, 60, 60], waits);
    }

    [Fact]
    public void CoolDown_ManyInARow_StaysAtTheDefault()
    {
        var pacer = Pacer(1);
        for (var i = 0; i < 100; i++)
        {
            pacer.CoolDown(null);
        }

        Assert.Equal(TimeSpan.FromSeconds(60), pacer.CoolDown(null));
    }

    [Fact]
    public async Task CoolDown_AfterAnAnsweredRequest_StartsAgainFromTwoSpacings()
    {
        var pacer = Pacer(1);
        pacer.CoolDown(null);
        Assert.Equal(TimeSpan.FromSeconds(4), pacer.CoolDown(null));
        _time.Advance(TimeSpan.FromSeconds(4));

        await pacer.SendAsync(Answered, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(2), pacer.CoolDown(null));
    }

    [Fact]
    public async Task CoolDown_AfterARequestThatFailedOtherwise_KeepsEscalating()
    {
        // A network error says nothing about whether the broker still limits us.
        var pacer = Pacer(1);
        pacer.CoolDown(null);
        _time.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAsync<HttpRequestException>(() => pacer.SendAsync(_ => throw new HttpRequestException("reset"), CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(4), pacer.CoolDown(null));
    }

    [Fact]
    public void CoolDown_HonoursRetryAfter() =>
        Assert.Equal(TimeSpan.FromSeconds(7), Pacer().CoolDown(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7))));

    [Fact]
    public void CoolDown_HonoursARetryAfterLongerThanTheDefault() =>
        Assert.Equal(TimeSpan.FromMinutes(5), Pacer().CoolDown(new RetryConditionHeaderValue(TimeSpan.FromMinutes(5))));

    [Fact]
    public void CoolDown_ZeroRetryAfter_WaitsAsIfItNamedNone() =>
        Assert.Equal(TimeSpan.FromSeconds(2), Pacer(1).CoolDown(new RetryConditionHeaderValue(TimeSpan.Zero)));

    [Fact]
    public void Constructor_NonPositiveRate_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Pacer(0));
}
