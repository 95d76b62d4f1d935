using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using FeedGuard.Instruments;
using FeedGuard.Ticks;

namespace FeedGuard.Nats.Payload;

/// <summary>
/// The wire form of one tick on the bus: a versioned little-endian binary record (docs/nats.md,
/// "Payload v1"). Binary rather than JSON because a tick is a fixed set of integers (prices are
/// scaled integers already): each is copied, not formatted and parsed, an LTP tick is ~40 bytes
/// instead of ~200 of JSON, and encoding allocates nothing.
/// </summary>
internal static class TickPayload
{
    /// <summary>The only version this build writes and reads.</summary>
    public const byte Version = 1;

    /// <summary>Header (8) + longest token (24) + price and receive time (16) + every optional field (17 × 8).</summary>
    public const int MaxLength = 8 + 24 + 16 + (17 * 8);

    private const int HeaderLength = 8;
    private const byte BuyTotal = 1;
    private const byte SellTotal = 2;
    private const TickFields KnownFields = (TickFields)((1 << 10) - 1);

    /// <summary>Writes <paramref name="tick"/> into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the length.</summary>
    public static int Encode(in Tick tick, Span<byte> destination)
    {
        var token = tick.Instrument.Token;
        var totals = (byte)((tick.TotalBuyQuantity.HasValue ? BuyTotal : 0) | (tick.TotalSellQuantity.HasValue ? SellTotal : 0));
        destination[0] = Version;
        destination[1] = (byte)tick.Instrument.Exchange;
        destination[2] = (byte)tick.Source;
        destination[3] = tick.PriceScale;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)tick.Fields);
        destination[6] = totals;
        destination[7] = (byte)token.Length;
        var at = HeaderLength;
        for (var i = 0; i < token.Length; i++)
        {
            destination[at++] = (byte)token[i];
        }

        var writer = new Writer(destination, at);
        writer.Put(tick.LastPriceUnits);
        writer.Put(tick.ReceiveTimeUtcTicks);
        var fields = tick.Fields;
        writer.PutIf(fields, TickFields.ExchangeTime, tick.ExchangeTimeUtcTicks);
        writer.PutIf(fields, TickFields.Sequence, tick.Sequence.GetValueOrDefault());
        writer.PutIf(fields, TickFields.LastQuantity, tick.LastQuantity.GetValueOrDefault());
        writer.PutIf(fields, TickFields.Volume, tick.Volume.GetValueOrDefault());
        writer.PutIf(fields, TickFields.AveragePrice, tick.AveragePriceUnits);
        if ((totals & BuyTotal) != 0)
        {
            writer.Put(tick.TotalBuyQuantity.GetValueOrDefault());
        }

        if ((totals & SellTotal) != 0)
        {
            writer.Put(tick.TotalSellQuantity.GetValueOrDefault());
        }

        if ((fields & TickFields.Ohlc) != 0)
        {
            writer.Put(tick.OpenUnits);
            writer.Put(tick.HighUnits);
            writer.Put(tick.LowUnits);
            writer.Put(tick.CloseUnits);
        }

        writer.PutIf(fields, TickFields.OpenInterest, tick.OpenInterest.GetValueOrDefault());
        if ((fields & TickFields.BestBid) != 0)
        {
            writer.Put(tick.BidPriceUnits);
            writer.Put(tick.BidQuantity);
        }

        if ((fields & TickFields.BestAsk) != 0)
        {
            writer.Put(tick.AskPriceUnits);
            writer.Put(tick.AskQuantity);
        }

        return writer.Position;
    }

    /// <summary>Reads the instrument key a payload names, without decoding the rest.</summary>
    public static bool TryReadInstrument(ReadOnlySpan<byte> payload, out Exchange exchange, [NotNullWhen(true)] out string? token, [NotNullWhen(false)] out string? error)
    {
        exchange = default;
        token = null;
        if (payload.Length < HeaderLength)
        {
            error = $"payload of {payload.Length} bytes is shorter than the {HeaderLength}-byte header";
            return false;
        }

        if (payload[0] != Version)
        {
            error = $"payload version {payload[0]} is not supported (this build reads version {Version})";
            return false;
        }

        exchange = (Exchange)payload[1];
        if (!Enum.IsDefined(exchange))
        {
            error = $"payload names unknown exchange {payload[1]}";
            return false;
        }

        var length = payload[7];
        if (length is 0 or > 24 || payload.Length < HeaderLength + length)
        {
            error = $"payload token length {length} is out of range";
            return false;
        }

        var bytes = payload.Slice(HeaderLength, length);
        foreach (var b in bytes)
        {
            if (!char.IsAsciiLetterOrDigit((char)b))
            {
                error = "payload token holds a character other than an ASCII letter or digit";
                return false;
            }
        }

        token = System.Text.Encoding.ASCII.GetString(bytes);
        error = null;
        return true;
    }

    /// <summary>Decodes a payload for <paramref name="instrument"/> (the one <see cref="TryReadInstrument"/> named); never throws on bad input.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> payload, Instrument instrument, out Tick tick, [NotNullWhen(false)] out string? error)
    {
        tick = default;
        if (!TryReadInstrument(payload, out _, out _, out error))
        {
            return false;
        }

        var source = (TickSource)payload[2];
        var scale = payload[3];
        var fields = (TickFields)BinaryPrimitives.ReadUInt16LittleEndian(payload[4..]);
        var totals = payload[6];
        if (!Enum.IsDefined(source) || scale > Prices.MaxScale || (fields & ~KnownFields) != 0 || (totals & ~(BuyTotal | SellTotal)) != 0)
        {
            error = "payload header holds an unknown source, scale, field or totals bit";
            return false;
        }

        var reader = new Reader(payload, HeaderLength + payload[7]);
        if (!reader.Need(2 + CountLongs(fields, totals)))
        {
            error = $"payload of {payload.Length} bytes is shorter than its fields say";
            return false;
        }

        var lastPrice = reader.Take();
        var receive = reader.Take();
        var baseTick = new Tick(instrument, source, lastPrice, scale, new DateTimeOffset(receive, TimeSpan.Zero))
        {
            ExchangeTime = (fields & TickFields.ExchangeTime) != 0 ? new DateTimeOffset(reader.Take(), TimeSpan.Zero) : null,
            Sequence = reader.TakeIf(fields, TickFields.Sequence),
            LastQuantity = reader.TakeIf(fields, TickFields.LastQuantity),
            Volume = reader.TakeIf(fields, TickFields.Volume),
        };
        if ((fields & TickFields.AveragePrice) != 0)
        {
            baseTick = baseTick with { AveragePriceUnits = reader.Take() };
        }

        baseTick = baseTick with
        {
            TotalBuyQuantity = (totals & BuyTotal) != 0 ? reader.Take() : null,
            TotalSellQuantity = (totals & SellTotal) != 0 ? reader.Take() : null,
        };
        if ((fields & TickFields.Ohlc) != 0)
        {
            baseTick = baseTick with { OpenUnits = reader.Take(), HighUnits = reader.Take(), LowUnits = reader.Take(), CloseUnits = reader.Take() };
        }

        baseTick = baseTick with { OpenInterest = reader.TakeIf(fields, TickFields.OpenInterest) };
        if ((fields & TickFields.BestBid) != 0)
        {
            baseTick = baseTick with { BidPriceUnits = reader.Take(), BidQuantity = reader.Take() };
        }

        if ((fields & TickFields.BestAsk) != 0)
        {
            baseTick = baseTick with { AskPriceUnits = reader.Take(), AskQuantity = reader.Take() };
        }

        if (reader.Position != payload.Length)
        {
            error = $"payload has {payload.Length - reader.Position} bytes after its last field";
            return false;
        }

        tick = baseTick;
        return true;
    }

    private static int CountLongs(TickFields fields, byte totals)
    {
        var count = 0;
        foreach (var (field, longs) in FieldWidths)
        {
            count += (fields & field) != 0 ? longs : 0;
        }

        return count + ((totals & BuyTotal) != 0 ? 1 : 0) + ((totals & SellTotal) != 0 ? 1 : 0);
    }

    // BuySellTotals is counted through the totals byte: each quantity can be present alone.
    private static readonly (TickFields Field, int Longs)[] FieldWidths =
    [
        (TickFields.ExchangeTime, 1), (TickFields.Sequence, 1), (TickFields.LastQuantity, 1), (TickFields.Volume, 1),
        (TickFields.AveragePrice, 1), (TickFields.Ohlc, 4), (TickFields.OpenInterest, 1), (TickFields.BestBid, 2), (TickFields.BestAsk, 2),
    ];

    private ref struct Writer(Span<byte> destination, int position)
    {
        private readonly Span<byte> _destination = destination;

        public int Position { get; private set; } = position;

        public void Put(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_destination[Position..], value);
            Position += 8;
        }

        public void PutIf(TickFields fields, TickFields field, long value)
        {
            if ((fields & field) != 0)
            {
                Put(value);
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> source, int position)
    {
        private readonly ReadOnlySpan<byte> _source = source;

        public int Position { get; private set; } = position;

        public readonly bool Need(int longs) => _source.Length - Position >= longs * 8;

        public long Take()
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(_source[Position..]);
            Position += 8;
            return value;
        }

        public long? TakeIf(TickFields fields, TickFields field) => (fields & field) != 0 ? Take() : null;
    }
}
