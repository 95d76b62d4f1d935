using System.Runtime.CompilerServices;

namespace FeedGuard.Instruments;

/// <summary>
/// Process-wide numbers for interned instruments, so a <see cref="Ticks.Tick"/> names its instrument
/// with an <c>int</c> instead of a reference. A tick is then plain data: copying one (into a window, a
/// ring, a batch) is a block copy with no GC write barrier, and arrays of ticks are never scanned by the
/// garbage collector, however large the buffers. Handle 0 is no instrument (<c>default(Tick)</c>).
/// </summary>
/// <remarks>
/// Instruments are interned once per feed and live as long as it does, so the table only grows: each
/// instrument ever interned stays reachable from here (about a hundred bytes each) for the life of the
/// process, which is what a process that builds a feed at start-up wants, and a bounded cost for one that
/// rebuilds feeds.
/// </remarks>
internal static class InstrumentHandles
{
    private static readonly Lock Gate = new();
    private static Instrument?[] _byHandle = new Instrument?[256];
    private static int _next = 1;

    /// <summary>Gives <paramref name="instrument"/> the next handle. Called once, from its constructor.</summary>
    public static int Register(Instrument instrument)
    {
        lock (Gate)
        {
            if (_next == _byHandle.Length)
            {
                var grown = new Instrument?[_byHandle.Length * 2];
                Array.Copy(_byHandle, grown, _byHandle.Length);

                // Published whole: a reader sees the old table or the new one, and both hold every handle it can know.
                Volatile.Write(ref _byHandle, grown);
            }

            _byHandle[_next] = instrument;
            return _next++;
        }
    }

    /// <summary>The instrument with <paramref name="handle"/>; null for 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Instrument? Get(int handle) => Volatile.Read(ref _byHandle)[handle];
}
