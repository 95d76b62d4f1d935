using System.Threading.Channels;
using FeedGuard.Ticks;

namespace FeedGuard.Buffers;

/// <summary>Drop-oldest and lossless buffers, on a bounded <see cref="Channel{T}"/>.</summary>
internal sealed class ChannelBuffer : SubscriberBuffer
{
    private readonly Channel<Tick> _channel;

    public ChannelBuffer(string name, BufferPolicy policy, int capacity)
        : base(name, policy, capacity)
    {
        var options = new BoundedChannelOptions(capacity)
        {
            FullMode = policy == BufferPolicy.Wait ? BoundedChannelFullMode.Wait : BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = false,
        };

        // The runtime calls itemDropped after releasing the channel's lock, so counting here is safe.
        _channel = policy == BufferPolicy.Wait
            ? Channel.CreateBounded<Tick>(options)
            : Channel.CreateBounded<Tick>(options, _ => CountDrop());
    }

    public override int Count => _channel.Reader.Count;

    public override bool TryRead(out Tick tick)
    {
        var read = _channel.Reader.TryRead(out tick);
        OnRead();
        return read;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) =>
        _channel.Reader.WaitToReadAsync(cancellationToken);

    protected override void CompleteCore() => _channel.Writer.TryComplete();

    protected override bool TryWriteCore(in Tick tick) => _channel.Writer.TryWrite(tick);

    protected override ValueTask WriteCoreAsync(Tick tick, CancellationToken cancellationToken) =>
        _channel.Writer.WriteAsync(tick, cancellationToken);
}
