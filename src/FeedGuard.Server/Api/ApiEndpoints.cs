using System.Globalization;
using FeedGuard.Events;
using FeedGuard.Hosting;
using FeedGuard.Instruments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FeedGuard.Server.Api;

/// <summary>The read-only JSON endpoints: <c>/api/status</c>, <c>/api/instruments</c>, <c>/api/events</c>.</summary>
internal static class ApiEndpoints
{
    private const int DefaultEventLimit = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/status", Status);
        app.MapGet("/api/instruments", Instruments);
        app.MapGet("/api/events", Events);
    }

    private static IResult Status(FeedGuardGateway gateway) =>
        gateway.Feed is { } feed
            ? Results.Json(ApiJson.Status(feed.GetStreamStatus(), gateway), ApiJson.Options)
            : NotStarted();

    private static IResult Instruments(FeedGuardGateway gateway, PriceBaselines baselines)
    {
        if (gateway.Feed is not { } feed)
        {
            return NotStarted();
        }

        var status = feed.GetStreamStatus();
        var rows = new List<InstrumentRow>(status.Instruments.Count);
        foreach (var instrument in status.Instruments)
        {
            var key = InstrumentKey.Parse(instrument.Instrument);
            decimal? basis = null;
            string? basisKind = null;
            if (feed.TryGetLatest(key, out var tick) && tick.Close is { } close and not 0)
            {
                (basis, basisKind) = (close, "close");
            }
            else if (baselines.TryGetFirst(instrument.Instrument, out var first) && first != 0)
            {
                (basis, basisKind) = (first, "first_seen");
            }

            var change = instrument.LastPrice is { } last && basis is { } b ? last - b : (decimal?)null;
            rows.Add(new InstrumentRow(
                instrument.Instrument,
                key.Exchange.ToName(),
                key.Token,
                instrument.Symbol,
                instrument.LastPrice,
                change,
                change is { } c && basis is { } bb ? Math.Round(c / bb * 100, 4) : null,
                basisKind,
                instrument.Source is { } source ? TickJson.Source(source) : null,
                instrument.LastTickAge,
                instrument.Stale,
                instrument.SessionOpen,
                instrument.ExchangeTime));
        }

        return Results.Json(rows, ApiJson.Options);
    }

    private static IResult Events(FeedGuardGateway gateway, string? limit)
    {
        if (gateway.Feed is not { } feed)
        {
            return NotStarted();
        }

        var count = DefaultEventLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1))
        {
            return Results.Json(new { error = $"limit must be a whole number of at least 1 (got '{limit}')." }, ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }

        var recent = feed.GetRecentEvents();
        IReadOnlyList<FeedEvent> page = recent.Count <= count ? recent : [.. recent.Skip(recent.Count - count)];
        return Results.Json(page, ApiJson.Options);
    }

    private static IResult NotStarted() =>
        Results.Json(new { error = "the feed has not started" }, ApiJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);

    /// <summary>One row of <c>/api/instruments</c>.</summary>
    internal sealed record InstrumentRow(
        string Instrument,
        string Exchange,
        string Token,
        string? Symbol,
        decimal? LastPrice,
        decimal? Change,
        decimal? ChangePercent,
        string? ChangeBasis,
        string? Source,
        double? AgeSeconds,
        bool Stale,
        bool SessionOpen,
        DateTimeOffset? ExchangeTime);
}
