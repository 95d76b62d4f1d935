using System.Net.WebSockets;
using System.Threading.Channels;
using FeedGuard.Emulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace FeedGuard.Emulator.Kite;

/// <summary>
/// One Kite ticker socket: a receive loop (subscribe, unsubscribe, mode), a frame clock that
/// asks the writer every <see cref="KiteEmulatorOptions.FrameInterval"/> to send what changed,
/// and a single writer loop so frames never interleave. The writer batches every changed
/// instrument into one frame, sends a 1-byte heartbeat when the line has been idle, and applies
/// the faults that shape data (stall, mute, malformed, truncated).
/// </summary>
internal sealed partial class KiteTickerSession : EmulatorSession
{
    private const int MaxRequestBytes = 1024 * 1024;

    private readonly KiteEmulatorOptions _options;
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Random _random;
    private int _pollQueued;

    public KiteTickerSession(long id, HttpContext context, WebSocket socket, EmulatorRuntime runtime)
        : base(id, EmulatorBrokers.Kite, context, socket, runtime, MaxRequestBytes)
    {
        _options = runtime.Options.Kite;
        _random = new Random(HashCode.Combine(runtime.Options.Seed, id, EmulatorBrokers.Kite.Length));
        _lastSend = runtime.Time.GetTimestamp();
    }

    /// <summary>A text frame to send, or (Data null) the frame clock's request to send changed instruments.</summary>
    private readonly record struct Outbound(byte[]? Data);

    /// <summary>Queues a text frame (a JSON object with <c>type</c> and <c>data</c>).</summary>
    public void EnqueueText(byte[] json) => _outbound.Writer.TryWrite(new Outbound(json));

    protected override Task[] StartLoops(CancellationToken cancellationToken) =>
    [
        Task.Run(() => WriteLoopAsync(cancellationToken), CancellationToken.None),
        Task.Run(() => FrameClockAsync(cancellationToken), CancellationToken.None),
    ];

    protected override void OnReceiveEnded()
    {
        UnsubscribeAll();
        _outbound.Writer.TryComplete();
    }

    // The real server's reaction to oversized requests is undocumented: ignore them.
    protected override void OnTextMessage(ReadOnlySpan<byte> message, bool oversized)
    {
        if (!oversized)
        {
            HandleRequest(message);
        }
    }

    private async Task FrameClockAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.FrameInterval, Runtime.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                // At most one pending request: a writer held up by a stall does not build a backlog.
                if (Interlocked.Exchange(ref _pollQueued, 1) == 0)
                {
                    _outbound.Writer.TryWrite(new Outbound(null));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
