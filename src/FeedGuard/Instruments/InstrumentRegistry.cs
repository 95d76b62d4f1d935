using System.Diagnostics.CodeAnalysis;

namespace FeedGuard.Instruments;

/// <summary>
/// The fixed set of instruments one feed serves, interned once at start. Lookups by exchange and
/// token (as a string or a span of characters decoded from a packet) do not allocate.
/// </summary>
public sealed class InstrumentRegistry
{
    private readonly Instrument[] _instruments;
    private const int MaxNumericDigits = 15;

    private readonly Dictionary<string, Instrument>.AlternateLookup<ReadOnlySpan<char>>[] _byExchange;

    // Exchange and numeric token packed into one key (see NumericKey), for tokens in canonical decimal
    // form: the common case on the wire (NSE 3045, 11536 ...) found without a string or a char copy.
    private readonly Dictionary<ulong, Instrument> _byNumericToken = [];

    /// <summary>Interns <paramref name="keys"/>; throws <see cref="ArgumentException"/> on a duplicate or an empty list.</summary>
    public InstrumentRegistry(IEnumerable<InstrumentKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var maps = new Dictionary<string, Instrument>[Enum.GetValues<Exchange>().Max(e => (int)e) + 1];
        var list = new List<Instrument>();
        foreach (var key in keys)
        {
            var map = maps[(int)key.Exchange] ??= new Dictionary<string, Instrument>(StringComparer.Ordinal);
            if (map.ContainsKey(key.Token))
            {
                throw new ArgumentException($"Instrument {key} is listed twice.", nameof(keys));
            }

            var instrument = new Instrument(list.Count, key);
            map.Add(key.Token, instrument);
            if (TryParseCanonical(key.Token, out var number) && NumericKey(key.Exchange, number) is { } numericKey)
            {
                _byNumericToken.Add(numericKey, instrument);
            }

            list.Add(instrument);
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("At least one instrument is required.", nameof(keys));
        }

        _instruments = [.. list];
        _byExchange = new Dictionary<string, Instrument>.AlternateLookup<ReadOnlySpan<char>>[maps.Length];
        for (var i = 0; i < maps.Length; i++)
        {
            _byExchange[i] = (maps[i] ?? new Dictionary<string, Instrument>(StringComparer.Ordinal)).GetAlternateLookup<ReadOnlySpan<char>>();
        }
    }

    /// <summary>How many instruments the registry holds.</summary>
    public int Count => _instruments.Length;

    /// <summary>Every instrument, in the order given; <c>All[i].Id == i</c>.</summary>
    public IReadOnlyList<Instrument> All => _instruments;

    /// <summary>The instrument with dense id <paramref name="id"/>.</summary>
    public Instrument this[int id] => _instruments[id];

    /// <summary>Finds an instrument by exchange and token without allocating.</summary>
    public bool TryGet(Exchange exchange, ReadOnlySpan<char> token, [NotNullWhen(true)] out Instrument? instrument)
    {
        var index = (int)exchange;
        if ((uint)index < (uint)_byExchange.Length)
        {
            return _byExchange[index].TryGetValue(token, out instrument);
        }

        instrument = null;
        return false;
    }

    /// <summary>
    /// Finds an instrument from its token's ASCII bytes as a packet carries them, without allocating or
    /// copying: canonical decimal tokens (digits, no leading zero) by number, any other by characters.
    /// </summary>
    public bool TryGetAscii(Exchange exchange, ReadOnlySpan<byte> token, [NotNullWhen(true)] out Instrument? instrument)
    {
        if (TryParseCanonical(token, out var number))
        {
            // Every registered canonical token is in the numeric map, so a miss here is a miss.
            instrument = NumericKey(exchange, number) is { } key && _byNumericToken.TryGetValue(key, out var found) ? found : null;
            return instrument is not null;
        }

        return TryGetAsciiByChars(exchange, token, out instrument);
    }

    // Apart from the numeric path, so that path's frame holds no stackalloc (and no stack cookie check).
    private bool TryGetAsciiByChars(Exchange exchange, ReadOnlySpan<byte> token, [NotNullWhen(true)] out Instrument? instrument)
    {
        const int MaxStackToken = 64;
        if (token.IsEmpty || token.Length > MaxStackToken)
        {
            instrument = null;
            return false;
        }

        Span<char> chars = stackalloc char[MaxStackToken];
        if (System.Text.Ascii.ToUtf16(token, chars, out var written) != System.Buffers.OperationStatus.Done)
        {
            instrument = null;
            return false;
        }

        return TryGet(exchange, chars[..written], out instrument);
    }

    /// <summary>Finds the interned instrument for <paramref name="key"/>.</summary>
    public bool TryGet(InstrumentKey key, [NotNullWhen(true)] out Instrument? instrument)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TryGet(key.Exchange, key.Token, out instrument);
    }

    // Up to 15 digits (< 10^15 < 2^50) and no leading zero, so "3045" and "03045" stay different tokens.
    private static bool TryParseCanonical(ReadOnlySpan<byte> token, out ulong number)
    {
        number = 0;
        if (token.IsEmpty || token.Length > MaxNumericDigits || (token[0] == '0' && token.Length > 1))
        {
            return false;
        }

        foreach (var b in token)
        {
            var digit = (uint)(b - '0');
            if (digit > 9)
            {
                return false;
            }

            number = (number * 10) + digit;
        }

        return true;
    }

    private static bool TryParseCanonical(string token, out ulong number)
    {
        Span<byte> bytes = stackalloc byte[MaxNumericDigits];
        number = 0;
        return token.Length <= MaxNumericDigits
            && System.Text.Ascii.FromUtf16(token, bytes, out var written) == System.Buffers.OperationStatus.Done
            && TryParseCanonical(bytes[..written], out number);
    }

    private static ulong? NumericKey(Exchange exchange, ulong number) =>
        (uint)exchange < 1u << 14 ? ((ulong)(uint)exchange << 50) | number : null;
}
