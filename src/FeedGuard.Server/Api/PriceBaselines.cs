using System.Collections.Concurrent;
using FeedGuard.Buffers;
using FeedGuard.Hosting;
using Microsoft.Extensions.Hosting;

namespace FeedGuard.Server.Api;

/// <summary>
/// The first price seen per instrument since the gateway started, the basis of the dashboard's
/// "change" when ticks carry no previous close (LTP mode). Reads a conflating subscription, so it
/// costs one slot per instrument whatever the tick rate.
/// </summary>
internal sealed class PriceBaselines : BackgroundService
{
    private readonly FeedGuardGateway _gateway;
    private readonly ConcurrentDictionary<string, decimal> _first = new(StringComparer.Ordinal);

    public PriceBaselines(FeedGuardGateway gateway) => _gateway = gateway;

    public bool TryGetFirst(string instrument, out decimal price) => _first.TryGetValue(instrument, out price);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var feed = await _gateway.GetFeedAsync(stoppingToken).ConfigureAwait(false);
        var ticks = feed.Subscribe(new SubscriptionOptions { Name = "dashboard-baseline", Policy = BufferPolicy.LatestPerInstrument });
        try
        {
            await foreach (var tick in ticks.WithCancellation(stoppingToken).ConfigureAwait(false))
            {
                _first.TryAdd(tick.Instrument.Name, tick.LastPrice);
                if (_first.Count == feed.Instruments.Count)
                {
                    // Every instrument has its baseline; nothing left to learn.
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ticks.DisposeAsync().ConfigureAwait(false);
        }
    }
}
