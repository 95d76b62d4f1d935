using System.Runtime.InteropServices;

namespace FeedGuard.Buffers;

/// <summary>
/// A subscriber buffer's positions and write counters, laid out so what the writer changes on every
/// batch and what the reader changes on every read live on cache lines of their own.
/// </summary>
/// <remarks>
/// The ingest thread and the reader run on different cores. When a field one of them writes shares a
/// cache line with a field the other writes (or polls while it spins before parking), every write
/// takes the line away from the other core and the next access there waits for it to come back: a
/// transfer per batch on each side that carries no information. The same padding as the runtime's own
/// concurrent queues: 128 bytes a side, because x64 prefetches lines in pairs and some ARM64 cores
/// have 128-byte lines.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 3 * LineSize)]
internal struct BufferPositions
{
    private const int LineSize = 128;

    // The writer's line. The reader reads Tail (how it learns of new ticks) and, rarely, the others.

    /// <summary>Writer only: the end of what it wrote, published as <see cref="Tail"/> once per batch.</summary>
    [FieldOffset(LineSize)]
    public long WriteTail;

    /// <summary>The end the reader may read up to.</summary>
    [FieldOffset(LineSize + 8)]
    public long Tail;

    /// <summary>
    /// Writer only: <see cref="Head"/> as the writer last read it, never ahead of it (the head only grows),
    /// so room counted from it is never more than there is. Read again only when it shows too little.
    /// </summary>
    [FieldOffset(LineSize + 16)]
    public long SeenHead;

    /// <summary>Ticks handed to the buffer.</summary>
    [FieldOffset(LineSize + 24)]
    public long Written;

    /// <summary>Ticks the writer dropped (or, for conflation, overwrote unread).</summary>
    [FieldOffset(LineSize + 32)]
    public long Dropped;

    // The reader's line.

    /// <summary>The next position to read; moved by the reader (and by a drop-oldest writer when it drops).</summary>
    [FieldOffset(2 * LineSize)]
    public long Head;

    /// <summary>Ticks a reader lost to a race with the writer (conflation only).</summary>
    [FieldOffset(2 * LineSize + 8)]
    public long DroppedByReaders;
}
