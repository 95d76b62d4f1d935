// A strategy on another machine: reads the ticks FeedGuard gateways publish to NATS JetStream and
// keeps a moving average per instrument. Same Tick type as an in-process subscriber.
//
//   dotnet run --project samples/RemoteStrategy -- nats://127.0.0.1:4222 NSE:3045,NSE:2885 [durable-name]
//
// With a durable name the server remembers where this strategy stopped: run it again and it resumes
// after the last tick it processed. Without one it reads everything the stream holds, then live ticks.
using System.Globalization;
using FeedGuard.Instruments;
using FeedGuard.Nats.Connection;
using FeedGuard.Nats.Consuming;
using FeedGuard.Ticks;

var url = args.Length > 0 ? args[0] : "nats://127.0.0.1:4222";
var instruments = (args.Length > 1 ? args[1] : "NSE:3045,NSE:2885,NSE:1594")
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    .Select(InstrumentKey.Parse)
    .ToList();
var durable = args.Length > 2 ? args[2] : null;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await using var consumer = new NatsTickConsumer(new NatsConsumerOptions
{
    Connection = new NatsConnectionSettings { Url = new Uri(url) },
    Instruments = instruments,
    DurableName = durable,
});

var averages = new Dictionary<Instrument, MovingAverage>();
try
{
    await foreach (var tick in consumer.ReadAsync(stop.Token))
    {
        if (!averages.TryGetValue(tick.Instrument, out var average))
        {
            average = new MovingAverage(20);
            averages[tick.Instrument] = average;
        }

        var mean = average.Add(tick.LastPrice);
        var latency = DateTimeOffset.UtcNow - tick.ReceiveTime;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{tick.Instrument.Name,-10} {tick.LastPrice,10} {(tick.Source == TickSource.Simulated ? "SIMULATED" : tick.Source.ToString()),-9} avg20 {mean,10:0.00}  gateway→here {latency.TotalMilliseconds,6:0.0} ms"));
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
}

Console.WriteLine($"{consumer.Received} ticks read, {consumer.Malformed} malformed skipped");

/// <summary>The mean of the last <c>size</c> prices.</summary>
internal sealed class MovingAverage(int size)
{
    private readonly Queue<decimal> _window = new();
    private decimal _sum;

    public decimal Add(decimal price)
    {
        _window.Enqueue(price);
        _sum += price;
        if (_window.Count > size)
        {
            _sum -= _window.Dequeue();
        }

        return _sum / _window.Count;
    }
}
