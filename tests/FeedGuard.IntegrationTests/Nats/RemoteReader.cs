using System.Globalization;
using FeedGuard.IntegrationTests.Contract;
using FeedGuard.IntegrationTests.SmartApi;
using FeedGuard.Instruments;
using FeedGuard.Nats.Connection;
using FeedGuard.Nats.Consuming;
using FeedGuard.Ticks;

namespace FeedGuard.IntegrationTests.Nats;

/// <summary>A strategy on "another machine": reads the stream through <see cref="NatsTickConsumer"/> into a list.</summary>
internal sealed class RemoteReader : IAsyncDisposable
{
    private readonly NatsTickConsumer _consumer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<Tick> _ticks = [];
    private readonly Task _loop;

    public RemoteReader(Uri nats, IReadOnlyList<InstrumentKey> instruments, string stream = "IT_TICKS", string? durable = null)
    {
        _consumer = new NatsTickConsumer(new NatsConsumerOptions
        {
            Connection = new NatsConnectionSettings { Url = nats },
            Stream = stream,
            Instruments = instruments,
            DurableName = durable,
        });
        _loop = Task.Run(ReadAsync);
    }

    public NatsTickConsumer Consumer => _consumer;

    public IReadOnlyList<Tick> Ticks
    {
        get
        {
            lock (_gate)
            {
                return [.. _ticks];
            }
        }
    }

    /// <summary>Every value a tick carries, for "values identical" across the bus (instruments are interned per side).</summary>
    public static string Describe(in Tick t) => string.Create(CultureInfo.InvariantCulture,
        $"{t.Instrument.Name} {t.Source} {t.LastPriceUnits}e-{t.PriceScale} f={t.Fields} rx={t.ReceiveTimeUtcTicks} x={t.ExchangeTimeUtcTicks} seq={t.Sequence} lq={t.LastQuantity} v={t.Volume} " +
        $"avg={t.AveragePriceUnits} tb={t.TotalBuyQuantity} ts={t.TotalSellQuantity} ohlc={t.OpenUnits}/{t.HighUnits}/{t.LowUnits}/{t.CloseUnits} oi={t.OpenInterest} " +
        $"bid={t.BidPriceUnits}x{t.BidQuantity} ask={t.AskPriceUnits}x{t.AskQuantity}");

    public Task WaitForCountAsync(int count, TimeSpan bound) =>
        Eventually.UntilAsync(() => Ticks.Count >= count, bound, () => $"{count} ticks from NATS; have {Ticks.Count}");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _consumer.DisposeAsync();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            // The stream may not exist yet (the gateway creates it when it connects): try again until it does.
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await foreach (var tick in _consumer.ReadAsync(_stop.Token))
                    {
                        lock (_gate)
                        {
                            _ticks.Add(tick);
                        }
                    }
                }
                catch (NATS.Client.JetStream.NatsJSApiException) when (!_stop.IsCancellationRequested)
                {
                    await Task.Delay(100, _stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }
}
