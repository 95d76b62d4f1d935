using FeedGuard.Health;
using FeedGuard.Instruments;

namespace FeedGuard.Tests.Health;

/// <summary>
/// Exchange sessions in IST (DESIGN §4): outside them silence is normal. Every instant here is
/// built in IST and, where it matters, re-expressed in other offsets: the answer depends on the
/// instant, never on the offset it is written in or on the machine's zone.
/// </summary>
public sealed class SessionCalendarTests
{
    private static readonly DateOnly Monday = new(2026, 11, 23);
    private static readonly DateOnly Tuesday = new(2026, 11, 24);
    private static readonly DateOnly Friday = new(2026, 11, 27);
    private static readonly DateOnly Saturday = new(2026, 11, 28);
    private static readonly DateOnly Sunday = new(2026, 11, 29);

    private static readonly SessionCalendar Default = new(new SessionCalendarOptions());

    [Theory]
    [InlineData(9, 14, 59, false)]
    [InlineData(9, 15, 0, true)]
    [InlineData(12, 0, 0, true)]
    [InlineData(15, 29, 59, true)]
    [InlineData(15, 30, 0, false)]
    [InlineData(15, 31, 0, false)]
    [InlineData(3, 0, 0, false)]
    [InlineData(23, 0, 0, false)]
    public void IsOpen_NseAtIstTimeOnAWeekday_OpensAt0915AndClosesAt1530Exclusive(int hour, int minute, int second, bool expected)
    {
        Assert.Equal(expected, Default.IsOpen(Exchange.Nse, Ist(Monday, hour, minute, second)));
    }

    [Fact]
    public void IsOpen_LastTickBeforeClose_IsOpen()
    {
        var justBeforeClose = Ist(Monday, 15, 30).AddTicks(-1);

        Assert.True(Default.IsOpen(Exchange.Nse, justBeforeClose));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 30)]
    [InlineData(-5, 0)]
    [InlineData(-12, 0)]
    [InlineData(14, 0)]
    public void IsOpen_SameInstantInAnyOffset_GivesTheSameAnswer(int offsetHours, int offsetMinutes)
    {
        var offset = new TimeSpan(offsetHours, offsetMinutes, 0);

        Assert.True(Default.IsOpen(Exchange.Nse, Ist(Monday, 9, 15).ToOffset(offset)));
        Assert.False(Default.IsOpen(Exchange.Nse, Ist(Monday, 9, 14, 59).ToOffset(offset)));
        Assert.True(Default.IsOpen(Exchange.Nse, Ist(Monday, 15, 29, 59).ToOffset(offset)));
        Assert.False(Default.IsOpen(Exchange.Nse, Ist(Monday, 15, 30).ToOffset(offset)));
    }

    [Fact]
    public void IsOpen_MondayOpenWrittenInNewYorkTime_IsOpenThoughItIsSundayThere()
    {
        // 09:15 IST Monday is 22:45 on Sunday at −05:00.
        var newYork = new DateTimeOffset(2026, 11, 22, 22, 45, 0, TimeSpan.FromHours(-5));

        Assert.True(Default.IsOpen(Exchange.Nse, newYork));
    }

    [Fact]
    public void IsOpen_SaturdayMorningWrittenInNewYorkTime_IsClosedThoughItIsFridayThere()
    {
        // 10:00 IST Saturday is 23:30 on Friday at −05:00.
        var newYork = new DateTimeOffset(2026, 11, 27, 23, 30, 0, TimeSpan.FromHours(-5));

        Assert.False(Default.IsOpen(Exchange.Nse, newYork));
    }

    [Fact]
    public void IsOpen_UtcInstant_IsJudgedInIst()
    {
        // 03:45 UTC is 09:15 IST; 10:00 UTC is 15:30 IST.
        Assert.True(Default.IsOpen(Exchange.Nse, new DateTimeOffset(2026, 11, 23, 3, 45, 0, TimeSpan.Zero)));
        Assert.False(Default.IsOpen(Exchange.Nse, new DateTimeOffset(2026, 11, 23, 3, 44, 59, TimeSpan.Zero)));
        Assert.False(Default.IsOpen(Exchange.Nse, new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData(Exchange.Nse)]
    [InlineData(Exchange.Bse)]
    [InlineData(Exchange.Mcx)]
    [InlineData(Exchange.Cds)]
    public void IsOpen_Weekend_IsClosed(Exchange exchange)
    {
        Assert.True(Default.IsOpen(exchange, Ist(Friday, 12, 0)));
        Assert.False(Default.IsOpen(exchange, Ist(Saturday, 12, 0)));
        Assert.False(Default.IsOpen(exchange, Ist(Sunday, 12, 0)));
    }

    [Fact]
    public void IsOpen_SessionThatTradesOnWeekends_IsOpenOnSaturday()
    {
        var calendar = Calendar(Sessions((Exchange.Mcx, new TradingSession { Open = new(9, 0), Close = new(23, 30), TradesOnWeekends = true })));

        Assert.True(calendar.IsOpen(Exchange.Mcx, Ist(Saturday, 12, 0)));
        Assert.False(calendar.IsOpen(Exchange.Mcx, Ist(Saturday, 23, 30)));
        Assert.False(calendar.IsOpen(Exchange.Nse, Ist(Saturday, 12, 0)));
    }

    [Theory]
    [InlineData(Exchange.Nse)]
    [InlineData(Exchange.Nfo)]
    [InlineData(Exchange.Mcx)]
    [InlineData(Exchange.Ncdex)]
    public void IsOpen_GlobalHoliday_ClosesEveryExchangeThatDayOnly(Exchange exchange)
    {
        var calendar = Calendar(new SessionCalendarOptions { Holidays = [Tuesday] });

        Assert.True(calendar.IsOpen(exchange, Ist(Monday, 12, 0)));
        Assert.False(calendar.IsOpen(exchange, Ist(Tuesday, 12, 0)));
    }

    [Fact]
    public void IsOpen_HolidayInstantWrittenInNewYorkTime_UsesTheIstDate()
    {
        // 09:30 IST on the Tuesday holiday is still Monday 23:00 at −05:00.
        var calendar = Calendar(new SessionCalendarOptions { Holidays = [Tuesday] });

        Assert.False(calendar.IsOpen(Exchange.Nse, new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.FromHours(-5))));
    }

    [Fact]
    public void IsOpen_PerExchangeHoliday_ClosesOnlyThatExchange()
    {
        var calendar = Calendar(Sessions((Exchange.Mcx, TradingSession.DefaultFor(Exchange.Mcx) with { Holidays = [Tuesday] })));

        Assert.False(calendar.IsOpen(Exchange.Mcx, Ist(Tuesday, 12, 0)));
        Assert.True(calendar.IsOpen(Exchange.Mcx, Ist(Monday, 12, 0)));
        Assert.True(calendar.IsOpen(Exchange.Nse, Ist(Tuesday, 12, 0)));
    }

    [Theory]
    [InlineData(8, 59, 59, false)]
    [InlineData(9, 0, 0, true)]
    [InlineData(17, 0, 0, true)]
    [InlineData(23, 29, 59, true)]
    [InlineData(23, 30, 0, false)]
    public void IsOpen_Mcx_TradesFrom0900To2330(int hour, int minute, int second, bool expected)
    {
        Assert.Equal(expected, Default.IsOpen(Exchange.Mcx, Ist(Monday, hour, minute, second)));
    }

    [Theory]
    [InlineData(Exchange.Cds)]
    [InlineData(Exchange.Bcd)]
    [InlineData(Exchange.Mcxsx)]
    [InlineData(Exchange.Ncdex)]
    public void IsOpen_CurrencyAndNcdex_TradeFrom0900To1700(Exchange exchange)
    {
        Assert.False(Default.IsOpen(exchange, Ist(Monday, 8, 59, 59)));
        Assert.True(Default.IsOpen(exchange, Ist(Monday, 9, 0)));
        Assert.True(Default.IsOpen(exchange, Ist(Monday, 16, 59, 59)));
        Assert.False(Default.IsOpen(exchange, Ist(Monday, 17, 0)));
    }

    [Theory]
    [InlineData(Exchange.Nfo)]
    [InlineData(Exchange.Bse)]
    [InlineData(Exchange.Bfo)]
    public void IsOpen_CashAndDerivatives_TradeLikeNse(Exchange exchange)
    {
        Assert.False(Default.IsOpen(exchange, Ist(Monday, 9, 14, 59)));
        Assert.True(Default.IsOpen(exchange, Ist(Monday, 9, 15)));
        Assert.False(Default.IsOpen(exchange, Ist(Monday, 15, 30)));
    }

    [Fact]
    public void IsOpen_ExchangeMarkedAlwaysOpen_IsOpenAtNightOnWeekendsAndHolidays()
    {
        var calendar = Calendar(new SessionCalendarOptions
        {
            Exchanges = new Dictionary<Exchange, TradingSession> { [Exchange.Nse] = TradingSession.Always },
            Holidays = [Tuesday],
        });

        Assert.True(calendar.IsOpen(Exchange.Nse, Ist(Sunday, 3, 0)));
        Assert.True(calendar.IsOpen(Exchange.Nse, Ist(Tuesday, 12, 0)));
        Assert.False(calendar.IsOpen(Exchange.Bse, Ist(Sunday, 3, 0)));
        Assert.False(calendar.IsOpen(Exchange.Bse, Ist(Monday, 3, 0)));
    }

    [Theory]
    [InlineData(Exchange.Nse)]
    [InlineData(Exchange.Mcx)]
    [InlineData(Exchange.Cds)]
    [InlineData(Exchange.Ncdex)]
    public void IsOpen_CalendarAlwaysOpen_EveryExchangeIsOpenEvenOnHolidaysAndWeekendNights(Exchange exchange)
    {
        var calendar = Calendar(new SessionCalendarOptions { AlwaysOpen = true, Holidays = [Tuesday] });

        Assert.True(calendar.IsOpen(exchange, Ist(Sunday, 3, 0)));
        Assert.True(calendar.IsOpen(exchange, Ist(Tuesday, 12, 0)));
        Assert.True(SessionCalendar.AlwaysOpen.IsOpen(exchange, Ist(Saturday, 23, 59)));
    }

    [Fact]
    public void IsOpen_OverrideForOneExchange_ReplacesItsDefaultOnly()
    {
        var calendar = Calendar(Sessions((Exchange.Nse, new TradingSession { Open = new(10, 0), Close = new(11, 0) })));

        Assert.False(calendar.IsOpen(Exchange.Nse, Ist(Monday, 9, 30)));
        Assert.True(calendar.IsOpen(Exchange.Nse, Ist(Monday, 10, 30)));
        Assert.False(calendar.IsOpen(Exchange.Nse, Ist(Monday, 11, 0)));
        Assert.True(calendar.IsOpen(Exchange.Nfo, Ist(Monday, 9, 30)));
        Assert.True(calendar.IsOpen(Exchange.Bse, Ist(Monday, 11, 30)));
    }

    [Fact]
    public void SessionStart_DuringNseSession_IsTodaysOpenInIst()
    {
        var start = Default.SessionStart(Exchange.Nse, Ist(Monday, 11, 0));

        Assert.Equal(Ist(Monday, 9, 15), start);
        Assert.Equal(SessionCalendar.IstOffset, start!.Value.Offset);
    }

    [Fact]
    public void SessionStart_AskedInNewYorkTime_IsTheOpenOfTheIstDay()
    {
        // 09:20 IST Monday, written as Sunday 22:50 at −05:00: the session began at 09:15 IST Monday.
        var start = Default.SessionStart(Exchange.Nse, new DateTimeOffset(2026, 11, 22, 22, 50, 0, TimeSpan.FromHours(-5)));

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 3, 45, 0, TimeSpan.Zero), start);
    }

    [Fact]
    public void SessionStart_McxInTheEvening_IsNineInTheMorning()
    {
        Assert.Equal(Ist(Monday, 9, 0), Default.SessionStart(Exchange.Mcx, Ist(Monday, 22, 0)));
    }

    [Fact]
    public void SessionStart_Closed_IsNull()
    {
        Assert.Null(Default.SessionStart(Exchange.Nse, Ist(Monday, 16, 0)));
        Assert.Null(Default.SessionStart(Exchange.Nse, Ist(Saturday, 10, 0)));
    }

    [Fact]
    public void SessionStart_AlwaysOpen_IsMinValue()
    {
        Assert.Equal(DateTimeOffset.MinValue, SessionCalendar.AlwaysOpen.SessionStart(Exchange.Nse, Ist(Sunday, 3, 0)));
    }

    [Fact]
    public void IstOffset_IsFiveHoursThirty()
    {
        Assert.Equal(new TimeSpan(5, 30, 0), SessionCalendar.IstOffset);
    }

    [Fact]
    public void DefaultFor_UndefinedExchange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TradingSession.DefaultFor((Exchange)0));
    }

    private static DateTimeOffset Ist(DateOnly date, int hour, int minute, int second = 0) =>
        new(date.ToDateTime(new TimeOnly(hour, minute, second)), SessionCalendar.IstOffset);

    private static SessionCalendar Calendar(SessionCalendarOptions options) => new(options);

    private static SessionCalendarOptions Sessions(params (Exchange Exchange, TradingSession Session)[] sessions) =>
        new() { Exchanges = sessions.ToDictionary(s => s.Exchange, s => s.Session) };
}
