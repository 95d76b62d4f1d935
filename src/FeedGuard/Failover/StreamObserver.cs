using FeedGuard.Integrity;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard.Failover;

/// <summary>
/// The supervisor's ear on one connection attempt. Sources call it from their receive loops (several
/// at once when a broker needs several sockets), so everything here is a lock-free counter or
/// timestamp; ticks go straight to the ingest path. A new attempt gets a new observer, so a late
/// call from a dead connection is recognised and ignored.
/// </summary>
internal sealed class StreamObserver : IStreamObserver, IStreamProbe
{
    private static readonly TimeSpan SourceClockTolerance = TimeSpan.FromSeconds(1);

    private readonly TickIngest _ingest;
    private readonly TimeProvider _time;
    private readonly Action<string> _malformed;
    private readonly Action<SourceMessageKind, string, IReadOnlyList<Instruments.Instrument>?> _message;
    private long _lastFrameTimestamp;
    private long _lastFreshTickAt;
    private long _frames;
    private long _malformedFrames;
    private int _freshNotified;

    // 0 until a source first hands over its own timestamp, then 1 when it reads the feed's clock, -1 when not.
    private int _sourceClockAgrees;

    // Owned by the supervisor's executor: the malformed-ratio window.
    private long _windowFrames;
    private long _windowMalformed;

    public StreamObserver(TickIngest ingest, TimeProvider time, Action<string> malformed, Action<SourceMessageKind, string, IReadOnlyList<Instruments.Instrument>?> message)
    {
        _message = message;
        _ingest = ingest;
        _time = time;
        _malformed = malformed;
        _lastFrameTimestamp = time.GetTimestamp();
    }

    /// <summary>Receive time (UTC ticks) of the last tick that was not older than what was delivered.</summary>
    public long LastFreshTickAt => Volatile.Read(ref _lastFreshTickAt);

    public bool HasFreshTick => Volatile.Read(ref _freshNotified) != 0;

    /// <summary>Frames received on this connection so far, and how many of them were malformed.</summary>
    public (long Frames, long Malformed) FrameCounts => (Interlocked.Read(ref _frames), Interlocked.Read(ref _malformedFrames));

    /// <summary>The malformed share of the frames since <paramref name="mark"/> (an earlier <see cref="FrameCounts"/>), 0 when none came.</summary>
    public double MalformedShareSince((long Frames, long Malformed) mark)
    {
        var (frames, malformed) = FrameCounts;
        return frames == mark.Frames ? 0 : (double)(malformed - mark.Malformed) / (frames - mark.Frames);
    }

    /// <summary>How long since the last frame of any kind (since the connection, before the first).</summary>
    public TimeSpan SinceLastFrame => _time.GetElapsedTime(Volatile.Read(ref _lastFrameTimestamp));

    /// <summary>Whether a frame of any kind arrived at or after <paramref name="timestamp"/> (the feed clock's).</summary>
    public bool FrameSince(long timestamp) => Interlocked.Read(ref _frames) > 0 && Volatile.Read(ref _lastFrameTimestamp) >= timestamp;

    public ValueTask OnTicksAsync(ReadOnlyMemory<Tick> ticks, CancellationToken cancellationToken) =>
        Ingest(ticks, _time.GetTimestamp(), cancellationToken);

    public ValueTask OnTicksAsync(ReadOnlyMemory<Tick> ticks, long receivedAt, CancellationToken cancellationToken) =>
        Ingest(ticks, SourceClockAgrees(receivedAt) ? receivedAt : _time.GetTimestamp(), cancellationToken);

    private ValueTask Ingest(ReadOnlyMemory<Tick> ticks, long now, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _frames);
        Volatile.Write(ref _lastFrameTimestamp, now);
        return _ingest.IngestAsync(ticks, TickSource.Stream, this, now, cancellationToken);
    }

    // A source built with another clock than the feed's (another provider, or one with another
    // frequency) would hand over timestamps that make a stalled stream look alive or a live one dead.
    // Its first timestamp is checked against the feed's own reading once; if they are further apart
    // than any real receive path could put them, the source's are never used on this connection.
    private bool SourceClockAgrees(long receivedAt)
    {
        var agrees = Volatile.Read(ref _sourceClockAgrees);
        if (agrees == 0)
        {
            var lag = _time.GetElapsedTime(receivedAt);
            agrees = lag >= TimeSpan.Zero && lag < SourceClockTolerance ? 1 : -1;
            Volatile.Write(ref _sourceClockAgrees, agrees);
        }

        return agrees > 0;
    }

    public void OnFrameReceived()
    {
        Interlocked.Increment(ref _frames);
        Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
    }

    public void OnMalformedFrame(string reason)
    {
        Interlocked.Increment(ref _frames);
        Interlocked.Increment(ref _malformedFrames);
        Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
        _malformed(reason);
    }

    public void OnSourceMessage(SourceMessageKind kind, string message, IReadOnlyList<Instruments.Instrument>? instruments = null)
    {
        Interlocked.Increment(ref _frames);
        Volatile.Write(ref _lastFrameTimestamp, _time.GetTimestamp());
        _message(kind, message, instruments);
    }

    public bool MarkFresh(long receiveTimeUtcTicks)
    {
        Volatile.Write(ref _lastFreshTickAt, receiveTimeUtcTicks);
        return Volatile.Read(ref _freshNotified) == 0 && Interlocked.Exchange(ref _freshNotified, 1) == 0;
    }

    /// <summary>Re-arms the first-fresh-tick notification (after a promote window that did not hold).</summary>
    public void ResetFresh() => Volatile.Write(ref _freshNotified, 0);

    /// <summary>
    /// Judges the frames since the last judgement once at least <paramref name="minFrames"/> arrived:
    /// true when the malformed share exceeds <paramref name="maxRatio"/>.
    /// </summary>
    public bool MalformedRatioExceeded(int minFrames, double maxRatio, out double ratio)
    {
        var frames = Interlocked.Read(ref _frames) - _windowFrames;
        var malformed = Interlocked.Read(ref _malformedFrames) - _windowMalformed;
        ratio = frames == 0 ? 0 : (double)malformed / frames;
        if (frames < minFrames)
        {
            return false;
        }

        _windowFrames += frames;
        _windowMalformed += malformed;
        return ratio > maxRatio;
    }
}
