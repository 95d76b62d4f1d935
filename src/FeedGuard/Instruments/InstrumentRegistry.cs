using System.Diagnostics.CodeAnalysis;

namespace FeedGuard.Instruments;

/// <summary>
/// The fixed set of instruments one feed serves, interned once at start. Lookups by exchange and
/// token (as a string or a span of characters decoded from a packet) do not allocate.
/// </summary>
public sealed class InstrumentRegistry
{
    private readonly Instrument[] _instruments;
    private readonly Dictionary<string, Instrument>.AlternateLookup<ReadOnlySpan<char>>[] _byExchange;

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

    /// <summary>Finds the interned instrument for <paramref name="key"/>.</summary>
    public bool TryGet(InstrumentKey key, [NotNullWhen(true)] out Instrument? instrument)
    {
        ArgumentNullException.ThrowIfNull(key);
        return TryGet(key.Exchange, key.Token, out instrument);
    }
}
