using System.Collections.Concurrent;
using System.Threading.Channels;
using FeedGuard.Instruments;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.Kite.Tests.Streaming;

/// <summary>An observer that records every callback (ticks batch by batch), with awaitable signals for tests.</summary>
internal sealed class RecordingObserver : IStreamObserver
{
    private readonly Channel<string> _events = Channel.CreateUnbounded<string>();
    private int _frames;

    public ConcurrentQueue<Tick[]> Batches { get; } = new();

    public IEnumerable<Tick> Ticks => Batches.SelectMany(b => b);

    public ConcurrentQueue<string> Malformed { get; } = new();

    public ConcurrentQueue<(SourceMessageKind Kind, string Message, IReadOnlyList<Instrument>? Instruments)> Messages { get; } = new();

    public int Frames => _frames;

    public ValueTask OnTicksAsync(ReadOnlyMemory<Tick> ticks, CancellationToken cancellationToken)
    {
        Batches.Enqueue(ticks.ToArray());
        _events.Writer.TryWrite("tick");
        return ValueTask.CompletedTask;
    }

    public void OnFrameReceived()
    {
        Interlocked.Increment(ref _frames);
        _events.Writer.TryWrite("frame");
    }

    public void OnMalformedFrame(string reason)
    {
        Malformed.Enqueue(reason);
        _events.Writer.TryWrite("malformed");
    }

    public void OnSourceMessage(SourceMessageKind kind, string message, IReadOnlyList<Instrument>? instruments = null)
    {
        Messages.Enqueue((kind, message, instruments));
        _events.Writer.TryWrite("message");
    }

    /// <summary>Waits (bounded) for the next callback and returns its kind.</summary>
    public async Task<string> NextAsync() => await _events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
