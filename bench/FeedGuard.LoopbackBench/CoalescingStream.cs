namespace FeedGuard.LoopbackBench;

/// <summary>
/// The blaster's side of the upgraded connection: while a blast runs, the server WebSocket's frames
/// are gathered into one buffer and written to the socket a buffer at a time, so the blaster pays
/// one socket write per ~64 KB instead of one per message and the client being measured, not the
/// blaster, sets the pace. Once <see cref="StopCoalescingAsync"/> has flushed, every write goes
/// straight through (paced runs, pongs and the closing handshake after a blast).
/// </summary>
/// <remarks>
/// The WebSocket serialises its own sends (pongs included), but the blast's end flushes from outside
/// that lock, so writes and the flush take <see cref="_gate"/>.
/// </remarks>
internal sealed class CoalescingStream(Stream inner, int capacity) : Stream
{
    private readonly byte[] _buffer = new byte[capacity];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _filled;
    private bool _coalescing = true;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Writes what is gathered and stops gathering: from now on each write is sent at once.</summary>
    public async ValueTask StopCoalescingAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _coalescing = false;
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_coalescing || buffer.Length > _buffer.Length)
            {
                await DrainAsync(cancellationToken).ConfigureAwait(false);
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (_filled + buffer.Length > _buffer.Length)
            {
                await DrainAsync(cancellationToken).ConfigureAwait(false);
            }

            buffer.Span.CopyTo(_buffer.AsSpan(_filled));
            _filled += buffer.Length;
        }
        finally
        {
            _gate.Release();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // While gathering, a flush is the WebSocket's, not ours: the buffer goes out when full or when the blast ends.
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        _coalescing ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The blaster reads asynchronously.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The blaster writes asynchronously.");

    public override void Flush() => throw new NotSupportedException("The blaster flushes asynchronously.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (_filled == 0)
        {
            return;
        }

        var filled = _filled;
        _filled = 0;
        await inner.WriteAsync(_buffer.AsMemory(0, filled), cancellationToken).ConfigureAwait(false);
    }
}
