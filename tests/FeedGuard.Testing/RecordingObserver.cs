using System.Collections.Concurrent;
using System.Threading.Channels;
using FeedGuard.Instruments;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.Testing;

/// <summary>A stream observer that records every callback (ticks batch by batch), with awaitable signals for tests.</summary>
public sealed class RecordingObserver : IStreamObserver
{
    private readonly Channel<string> _events = Channel.CreateUnbounded<string>();
    private int _frames;

    /// <summary>Every tick batch, in order.</summary>
    public ConcurrentQueue<Tick[]> Batches { get; } = new();

    /// <summary>Every tick, in order.</summary>
    public IEnumerable<Tick> Ticks => Batches.SelectMany(b => b);

    /// <summary>Every malformed-frame reason.</summary>
    public ConcurrentQueue<string> Malformed { get; } = new();

    /// <summary>Every source message.</summary>
    public ConcurrentQueue<(SourceMessageKind Kind, string Message, IReadOnlyList<Instrument>? Instruments)> Messages { get; } = new();

    /// <summary>How many frames were received.</summary>
    public int Frames => _frames;

    /// <summary>For every tick batch, in order, the source's own clock reading for it, or null when it gave none.</summary>
    public ConcurrentQueue<long?> ReceivedAt { get; } = new();

    /// <inheritdoc />
    public ValueTask OnTicksAsync(ReadOnlyMemory<Tick> ticks, CancellationToken cancellationToken) => Record(ticks, null);

    /// <inheritdoc />
    public ValueTask OnTicksAsync(ReadOnlyMemory<Tick> ticks, long receivedAt, CancellationToken cancellationToken) => Record(ticks, receivedAt);

    private ValueTask Record(ReadOnlyMemory<Tick> ticks, long? receivedAt)
    {
        // The stamp first: a test that sees the batch also sees its stamp.
        ReceivedAt.Enqueue(receivedAt);
        Batches.Enqueue(ticks.ToArray());
        _events.Writer.TryWrite("tick");
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void OnFrameReceived()
    {
        Interlocked.Increment(ref _frames);
        _events.Writer.TryWrite("frame");
    }

    /// <inheritdoc />
    public void OnMalformedFrame(string reason)
    {
        Malformed.Enqueue(reason);
        _events.Writer.TryWrite("malformed");
    }

    /// <inheritdoc />
    public void OnSourceMessage(SourceMessageKind kind, string message, IReadOnlyList<Instrument>? instruments = null)
    {
        Messages.Enqueue((kind, message, instruments));
        _events.Writer.TryWrite("message");
    }

    /// <summary>Waits (bounded) for the next callback and returns its kind: tick, frame, malformed or message.</summary>
    public async Task<string> NextAsync() => await _events.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
}
