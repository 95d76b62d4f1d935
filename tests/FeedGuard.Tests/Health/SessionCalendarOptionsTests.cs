using FeedGuard.Health;
using FeedGuard.Instruments;

namespace FeedGuard.Tests.Health;

/// <summary>Session options are validated once, with messages that name the bad key.</summary>
public sealed class SessionCalendarOptionsTests
{
    private const string Prefix = "Sessions:";

    [Fact]
    public void Validate_Defaults_ReportsNothing()
    {
        Assert.Empty(new SessionCalendarOptions().Validate(Prefix));
    }

    [Theory]
    [InlineData(15, 30, 9, 15)]
    [InlineData(9, 15, 9, 15)]
    public void Validate_CloseNotAfterOpen_NamesTheExchangesCloseKey(int openHour, int openMinute, int closeHour, int closeMinute)
    {
        var options = new SessionCalendarOptions
        {
            Exchanges = new Dictionary<Exchange, TradingSession>
            {
                [Exchange.Mcx] = new TradingSession { Open = new(openHour, openMinute), Close = new(closeHour, closeMinute) },
            },
        };

        var problem = Assert.Single(options.Validate(Prefix));

        Assert.StartsWith("Sessions:Exchanges:MCX:Close ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AlwaysOpenSessionWithoutHours_IsValid()
    {
        var options = new SessionCalendarOptions
        {
            Exchanges = new Dictionary<Exchange, TradingSession>
            {
                [Exchange.Nse] = new TradingSession { AlwaysOpen = true, Open = new(10, 0), Close = new(10, 0) },
            },
        };

        Assert.Empty(options.Validate(Prefix));
    }

    [Fact]
    public void Validate_MissingSession_NamesTheExchange()
    {
        var options = new SessionCalendarOptions
        {
            Exchanges = new Dictionary<Exchange, TradingSession> { [Exchange.Bse] = null! },
        };

        var problem = Assert.Single(options.Validate(Prefix));

        Assert.StartsWith("Sessions:Exchanges:BSE ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TwoBadExchanges_ReportsBoth()
    {
        var bad = new TradingSession { Open = new(12, 0), Close = new(11, 0) };
        var options = new SessionCalendarOptions
        {
            Exchanges = new Dictionary<Exchange, TradingSession> { [Exchange.Nse] = bad, [Exchange.Cds] = bad, [Exchange.Mcx] = TradingSession.DefaultFor(Exchange.Mcx) },
        };

        var problems = options.Validate(Prefix).ToList();

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Sessions:Exchanges:NSE:Close ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Sessions:Exchanges:CDS:Close ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(42)]
    public void Validate_UndefinedExchange_IsReportedNotThrownOrIgnored(int exchange)
    {
        var options = new SessionCalendarOptions
        {
            Exchanges = new Dictionary<Exchange, TradingSession> { [(Exchange)exchange] = new TradingSession { Open = new(12, 0), Close = new(11, 0) } },
        };

        var problem = Assert.Single(options.Validate(Prefix).ToList());

        Assert.StartsWith($"Sessions:Exchanges:{exchange} ", problem, StringComparison.Ordinal);
        Assert.Contains("NSE, NFO", problem, StringComparison.Ordinal);
    }
}
