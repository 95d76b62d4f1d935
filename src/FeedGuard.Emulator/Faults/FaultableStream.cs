namespace FeedGuard.Emulator.Faults;

/// <summary>
/// Wraps an upgraded connection's stream so a <see cref="FaultKind.Stall"/> freezes it at the
/// byte level: while stalled nothing is read (so the WebSocket layer never sees, and never
/// answers, a ping) and nothing is written. That is the only way to silence control PONGs,
/// which the framework's WebSocket sends on its own from inside a pending receive.
/// </summary>
internal sealed class FaultableStream : Stream
{
    private readonly Stream _inner;
    private readonly FaultController _faults;
    private readonly string _broker;

    public FaultableStream(Stream inner, FaultController faults, string broker)
    {
        _inner = inner;
        _faults = faults;
        _broker = broker;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _faults.WaitWhileActiveAsync(FaultKind.Stall, _broker, cancellationToken).ConfigureAwait(false);
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);

        // A read already pending when the stall began: hold its bytes until the stall ends.
        await _faults.WaitWhileActiveAsync(FaultKind.Stall, _broker, cancellationToken).ConfigureAwait(false);
        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _faults.WaitWhileActiveAsync(FaultKind.Stall, _broker, cancellationToken).ConfigureAwait(false);
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The emulator only does async I/O.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The emulator only does async I/O.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
