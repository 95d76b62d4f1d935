using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using FeedGuard.Buffers;
using FeedGuard.Ticks;

namespace FeedGuard.Benchmarks;

/// <summary>
/// The hand-off across threads: this thread writes <see cref="Ticks"/> ticks of 64 instruments in runs
/// of <see cref="Batch"/> into one buffer, while a reader on the thread pool drains it the way a
/// strategy does (<c>WaitToReadAsync</c>, then batch reads until empty). Lossless: a ring of capacity
/// 10,000, the writer waiting for room when it is full as the ingest path does; the operation ends when
/// the reader has every tick. Latest per instrument: the operation ends when the reader has the last
/// tick written (the newest is never lost; the ones it overwrote unread are the policy's drops).
/// <see cref="HubFanOutBenchmarks"/> drains on the writing thread, so it cannot see what two cores cost
/// each other: cache lines moving between them, and the reader parking and being woken.
/// Baseline: a bounded single-reader, single-writer <see cref="Channel{T}"/> in wait mode, written tick
/// by tick and read with <c>TryRead</c>. Reported per tick.
/// </summary>
[MemoryDiagnoser]
public class HandOffBenchmarks
{
    private const int Ticks = 1 << 16;
    private const int Capacity = 10_000;

    private readonly Tick[] _ticks = new Tick[Ticks];
    private readonly Tick[] _batch = new Tick[256];
    private Channel<Tick> _channel = null!;
    private RingBuffer _ring = null!;
    private ConflatingBuffer _latest = null!;

    /// <summary>Ticks per write: 1 (SmartAPI, one packet per message) or 64 (Kite-style frame).</summary>
    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var registry = Fixtures.Registry(64);
        var receive = DateTimeOffset.FromUnixTimeMilliseconds(Fixtures.ExchangeTimeMs);
        for (var i = 0; i < Ticks; i++)
        {
            _ticks[i] = new Tick(registry[i % registry.Count], TickSource.Stream, 304_550 + i, 2, receive) { Sequence = i };
        }

        // One of each for the whole run, as a subscription lives for the whole feed: each operation's
        // reader leaves once it has every tick (the lossless ones) or the last (see DrainToLast).
        _channel = Channel.CreateBounded<Tick>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true });
        _ring = new RingBuffer("bench", BufferPolicy.Wait, Capacity);
        _latest = new ConflatingBuffer("bench", registry.Count);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Ticks)]
    public long BoundedChannel()
    {
        var reader = Task.Run(() => DrainAsync(_channel.Reader));
        var writer = _channel.Writer;
        foreach (var tick in _ticks)
        {
            while (!writer.TryWrite(tick))
            {
                WaitFor(writer.WaitToWriteAsync());
            }
        }

        return reader.GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public long RingBufferWait()
    {
        var reader = Task.Run(() => DrainAsync(_ring, _batch));
        var now = 0L;
        for (var start = 0; start < Ticks; start += Batch)
        {
            var run = _ticks.AsSpan(start, Batch);
            while (true)
            {
                var taken = _ring.TryWrite(run, ref now);
                _ring.Publish();
                if (taken == run.Length)
                {
                    break;
                }

                run = run[taken..];
                WaitFor(_ring.WaitForRoomAsync(CancellationToken.None));
            }
        }

        return reader.GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Ticks)]
    public long LatestPerInstrument()
    {
        var reader = Task.Run(() => DrainToLastAsync(_latest, _batch));
        var now = 0L;
        for (var start = 0; start < Ticks; start += Batch)
        {
            _latest.TryWrite(_ticks.AsSpan(start, Batch), ref now);
            _latest.Publish();
        }

        return reader.GetAwaiter().GetResult();
    }

    // Blocks as the ingest path awaits. Every wait is consumed exactly once, also one that completed
    // before we looked: its result is what frees the buffer's reusable signal for the next wait.
    private static void WaitFor(ValueTask<bool> wait)
    {
        if (wait.IsCompleted)
        {
            wait.GetAwaiter().GetResult();
        }
        else
        {
            wait.AsTask().GetAwaiter().GetResult();
        }
    }

    private static async Task<long> DrainAsync(ChannelReader<Tick> reader)
    {
        var sum = 0L;
        var left = Ticks;
        while (left > 0 && await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (left > 0 && reader.TryRead(out var tick))
            {
                sum += tick.LastPriceUnits;
                left--;
            }
        }

        return sum;
    }

    private static async Task<long> DrainAsync(RingBuffer buffer, Tick[] batch)
    {
        var sum = 0L;
        var left = Ticks;
        while (left > 0 && await buffer.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            left -= Drain(buffer, batch, ref sum);
        }

        return sum;
    }

    private static async Task<long> DrainToLastAsync(ConflatingBuffer buffer, Tick[] batch)
    {
        var sum = 0L;
        while (await buffer.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (DrainToLast(buffer, batch, ref sum))
            {
                return sum;
            }
        }

        return sum;
    }

    // True once the last tick written was read. Ticks of the operation before that were never read are
    // read first here: instruments pending when the last tick went out; a few, the same in every operation.
    private static bool DrainToLast(ConflatingBuffer buffer, Tick[] batch, ref long sum)
    {
        var last = false;
        int read;
        while ((read = buffer.TryReadBatch(batch)) > 0)
        {
            foreach (ref readonly var tick in batch.AsSpan(0, read))
            {
                sum += tick.LastPriceUnits;
                last |= tick.Sequence == Ticks - 1;
            }
        }

        return last;
    }

    // Not async: a span cannot live across an await. The next operation writes only after this reader returned.
    private static int Drain(RingBuffer buffer, Tick[] batch, ref long sum)
    {
        var total = 0;
        int read;
        while ((read = buffer.TryReadBatch(batch)) > 0)
        {
            foreach (ref readonly var tick in batch.AsSpan(0, read))
            {
                sum += tick.LastPriceUnits;
            }

            total += read;
        }

        return total;
    }
}
