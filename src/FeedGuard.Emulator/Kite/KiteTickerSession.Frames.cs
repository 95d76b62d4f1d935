using System.Buffers.Binary;
using System.Net.WebSockets;
using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.Market;

namespace FeedGuard.Emulator.Kite;

/// <content>The writer: batched tick frames, heartbeats, and the faults that shape data.</content>
internal sealed partial class KiteTickerSession
{
    private static readonly byte[] Heartbeat = [0];

    // Each packet of the frame being built, with the offset where its bytes end.
    private readonly List<(Instrument Instrument, byte Mode, long Sequence, long ExchangeTimeMs, long Ltp, int End)> _framePackets = [];
    private byte[] _frame = new byte[4096];

    // Writer-owned: the TimeProvider timestamp of the last frame of any kind written.
    private long _lastSend;

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Data is { } text)
                {
                    await Socket.SendAsync(text, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                    _lastSend = Runtime.Time.GetTimestamp();
                    continue;
                }

                Volatile.Write(ref _pollQueued, 0);
                await SendChangesAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The socket is gone or closing; the receive loop reports why.
        }
    }

    /// <summary>Sends one frame with every subscribed instrument that changed (or must be resent), else a heartbeat if the line has been idle.</summary>
    private async ValueTask SendChangesAsync(CancellationToken cancellationToken)
    {
        var faults = Runtime.Faults;
        var stalled = faults.Find(FaultKind.Stall, Broker) is not null;
        var muted = stalled || faults.Find(FaultKind.MuteData, Broker) is not null;
        var length = BuildFrame(muted);
        if (length > 0)
        {
            await SendFrameAsync(length, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A stall silences heartbeats too (every SDK watchdog fires); mute keeps them going.
        var idle = Runtime.Time.GetElapsedTime(_lastSend) + _options.FrameInterval;
        if (!stalled && idle >= _options.HeartbeatInterval)
        {
            await Socket.SendAsync(Heartbeat, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            _lastSend = Runtime.Time.GetTimestamp();
        }
    }

    /// <summary>Encodes the changed instruments into <see cref="_frame"/>; returns its length, 0 when there is nothing to send.</summary>
    private int BuildFrame(bool muted)
    {
        _framePackets.Clear();
        var offset = KiteTickEncoder.FrameHeaderSize;
        foreach (var s in Volatile.Read(ref _published))
        {
            if (s.Instrument is not { } instrument)
            {
                continue;
            }

            var force = Interlocked.Exchange(ref s.Force, 0) == 1;
            if (!force && instrument.Sequence == s.LastSentSequence)
            {
                continue;
            }

            var snapshot = instrument.Snapshot();
            s.LastSentSequence = snapshot.Sequence;
            if (muted)
            {
                Runtime.Counters.PacketMuted();
                continue;
            }

            var mode = (KiteTickMode)s.Mode;
            var size = KiteTickEncoder.PacketSize(mode, s.Token);
            EnsureCapacity(offset + KiteTickEncoder.PacketLengthSize + size);
            offset += KiteTickEncoder.WritePacketLength(_frame.AsSpan(offset), size);
            offset += Encode(_frame.AsSpan(offset), s.Token, mode, snapshot);
            _framePackets.Add((instrument, (byte)mode, snapshot.Sequence, snapshot.ExchangeTimeMs, snapshot.LastTradedPrice, offset));
            if (_framePackets.Count == ushort.MaxValue)
            {
                break;
            }
        }

        if (_framePackets.Count == 0)
        {
            return 0;
        }

        KiteTickEncoder.WriteFrameHeader(_frame, _framePackets.Count);
        return offset;
    }

    private async ValueTask SendFrameAsync(int length, CancellationToken cancellationToken)
    {
        var faults = Runtime.Faults;
        var packets = _framePackets.Count;
        var frame = _frame.AsMemory(0, length);
        var intact = 0; // packets whose bytes all go out, from the first
        if (faults.Find(FaultKind.Truncated, Broker) is { } truncated && _random.NextDouble() < truncated.Rate)
        {
            // Cut after the header: the count promises packets the bytes cannot hold. Packets wholly
            // before the cut are still good data a client may decode, so they are logged as sent.
            frame = frame[.._random.Next(KiteTickEncoder.FrameHeaderSize + 1, length)];
            while (intact < packets && _framePackets[intact].End <= frame.Length)
            {
                intact++;
            }

            for (var i = intact; i < packets; i++)
            {
                Runtime.Counters.Truncated();
            }
        }
        else if (faults.Find(FaultKind.Malformed, Broker) is { } malformed && _random.NextDouble() < malformed.Rate)
        {
            frame = Malform(length);
            for (var i = 0; i < packets; i++)
            {
                Runtime.Counters.Malformed();
            }
        }
        else
        {
            intact = packets;
        }

        await Socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
        _lastSend = Runtime.Time.GetTimestamp();
        for (var i = 0; i < intact; i++)
        {
            var (instrument, mode, sequence, time, ltp, _) = _framePackets[i];
            instrument.RecordSent(Id, mode, sequence, time, ltp);
            Runtime.Counters.PacketSent();
        }
    }

    /// <summary>
    /// Either garbage of the frame's length whose header claims 65535 packets, or the frame's
    /// structure with every packet one byte short under a matching length prefix (7, 27, 31, 43
    /// or 183: lengths no layout has). No Kite decoder can accept either.
    /// </summary>
    private Memory<byte> Malform(int length)
    {
        if (_random.Next(2) == 0)
        {
            var garbage = new byte[length];
            _random.NextBytes(garbage);
            BinaryPrimitives.WriteUInt16BigEndian(garbage, ushort.MaxValue);
            return garbage;
        }

        var source = _frame.AsSpan(0, length);
        var output = new byte[length - _framePackets.Count];
        source[..KiteTickEncoder.FrameHeaderSize].CopyTo(output);
        int read = KiteTickEncoder.FrameHeaderSize, written = KiteTickEncoder.FrameHeaderSize;
        for (var i = 0; i < _framePackets.Count; i++)
        {
            var size = BinaryPrimitives.ReadUInt16BigEndian(source[read..]);
            written += KiteTickEncoder.WritePacketLength(output.AsSpan(written), size - 1);
            source.Slice(read + KiteTickEncoder.PacketLengthSize, size - 1).CopyTo(output.AsSpan(written));
            written += size - 1;
            read += KiteTickEncoder.PacketLengthSize + size;
        }

        return output;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed > _frame.Length)
        {
            Array.Resize(ref _frame, Math.Max(needed, _frame.Length * 2));
        }
    }

    private static int Encode(Span<byte> destination, uint token, KiteTickMode mode, QuoteSnapshot q)
    {
        if (mode == KiteTickMode.Ltp)
        {
            return KiteTickEncoder.WriteLtp(destination, token, U(q.LastTradedPrice));
        }

        var exchangeSeconds = U(q.ExchangeTimeMs / 1000);
        if (KiteTickEncoder.IsIndex(token))
        {
            var index = new KiteIndexFields(
                U(q.LastTradedPrice),
                U(q.Quote.High),
                U(q.Quote.Low),
                U(q.Quote.Open),
                U(q.Quote.Close),
                (int)Math.Clamp(q.LastTradedPrice - q.Quote.Close, int.MinValue, int.MaxValue),
                exchangeSeconds);
            return mode == KiteTickMode.Full
                ? KiteTickEncoder.WriteIndexFull(destination, token, index)
                : KiteTickEncoder.WriteIndexQuote(destination, token, index);
        }

        var quote = new KiteQuoteFields(
            U(q.LastTradedPrice),
            U(q.Quote.LastTradedQuantity),
            U(q.Quote.AverageTradedPrice),
            U(q.Quote.VolumeTradedToday),
            U((long)q.Quote.TotalBuyQuantity),
            U((long)q.Quote.TotalSellQuantity),
            U(q.Quote.Open),
            U(q.Quote.High),
            U(q.Quote.Low),
            U(q.Quote.Close));
        if (mode == KiteTickMode.Quote)
        {
            return KiteTickEncoder.WriteQuote(destination, token, quote);
        }

        var oi = q.Snap.OpenInterest;
        var full = new KiteFullFields(U(q.Snap.LastTradedTimestampSeconds), U(oi), U(OpenInterestDayHigh(oi)), U(OpenInterestDayLow(oi)), exchangeSeconds);
        Span<KiteDepthLevel> bids = stackalloc KiteDepthLevel[KiteTickEncoder.DepthLevels];
        Span<KiteDepthLevel> asks = stackalloc KiteDepthLevel[KiteTickEncoder.DepthLevels];
        for (var i = 0; i < KiteTickEncoder.DepthLevels; i++)
        {
            bids[i] = new KiteDepthLevel(U(q.Bids[i].Quantity), U(q.Bids[i].Price), (ushort)q.Bids[i].Orders);
            asks[i] = new KiteDepthLevel(U(q.Asks[i].Quantity), U(q.Asks[i].Price), (ushort)q.Asks[i].Orders);
        }

        return KiteTickEncoder.WriteFull(destination, token, quote, full, bids, asks);
    }

    /// <summary>The market does not track the day's open-interest range; a band around the current value keeps low ≤ OI ≤ high.</summary>
    internal static long OpenInterestDayHigh(long oi) => oi + (oi / 50);

    /// <inheritdoc cref="OpenInterestDayHigh"/>
    internal static long OpenInterestDayLow(long oi) => oi - (oi / 50);

    private static uint U(long value) => (uint)Math.Clamp(value, 0, uint.MaxValue);
}
