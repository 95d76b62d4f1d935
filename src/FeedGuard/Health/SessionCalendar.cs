using FeedGuard.Instruments;

namespace FeedGuard.Health;

/// <summary>Answers "is this exchange trading now?" in IST, independent of the machine's time zone.</summary>
public sealed class SessionCalendar
{
    /// <summary>India Standard Time: a fixed UTC offset, no daylight saving.</summary>
    public static readonly TimeSpan IstOffset = new(5, 30, 0);

    private readonly TradingSession[] _sessions;
    private readonly HashSet<DateOnly> _holidays;
    private readonly bool _alwaysOpen;

    /// <summary>Builds a calendar from options (defaults for every exchange the options do not name).</summary>
    public SessionCalendar(SessionCalendarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var exchanges = Enum.GetValues<Exchange>();
        _sessions = new TradingSession[exchanges.Max(e => (int)e) + 1];
        foreach (var exchange in exchanges)
        {
            _sessions[(int)exchange] = options.Exchanges.TryGetValue(exchange, out var session) ? session : TradingSession.DefaultFor(exchange);
        }

        _holidays = [.. options.Holidays];
        _alwaysOpen = options.AlwaysOpen;
    }

    /// <summary>A calendar on which every exchange is always open.</summary>
    public static SessionCalendar AlwaysOpen { get; } = new(new SessionCalendarOptions { AlwaysOpen = true });

    /// <summary>True when <paramref name="exchange"/> is in session at <paramref name="now"/>.</summary>
    public bool IsOpen(Exchange exchange, DateTimeOffset now) => SessionStart(exchange, now) is not null;

    /// <summary>
    /// When the session that is open at <paramref name="now"/> began, or null when the exchange is
    /// closed. For an always-open exchange this is <see cref="DateTimeOffset.MinValue"/>.
    /// </summary>
    public DateTimeOffset? SessionStart(Exchange exchange, DateTimeOffset now)
    {
        var session = _sessions[(int)exchange];
        if (_alwaysOpen || session.AlwaysOpen)
        {
            return DateTimeOffset.MinValue;
        }

        var ist = now.ToOffset(IstOffset);
        var date = DateOnly.FromDateTime(ist.DateTime);
        if (!session.TradesOnWeekends && ist.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return null;
        }

        if (_holidays.Contains(date) || session.Holidays.Contains(date))
        {
            return null;
        }

        var time = TimeOnly.FromDateTime(ist.DateTime);
        if (time < session.Open || time >= session.Close)
        {
            return null;
        }

        return new DateTimeOffset(date.ToDateTime(session.Open), IstOffset);
    }
}
