namespace FeedGuard.Instruments;

/// <summary>
/// An instrument a feed serves. Instances are interned by an <see cref="InstrumentRegistry"/>, so a
/// <see cref="Ticks.Tick"/> refers to one without allocating (by a process-wide handle, which keeps the
/// tick free of references), and reference equality is identity.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(InstrumentJsonConverter))]
public sealed class Instrument
{
    internal Instrument(int id, InstrumentKey key)
    {
        Id = id;
        Key = key;
        Name = $"{key.Exchange.ToName()}:{key.Token}";
        Handle = InstrumentHandles.Register(this);
    }

    /// <summary>Dense index within its registry (0..Count-1), for array-indexed per-instrument state.</summary>
    public int Id { get; }

    /// <summary>How a tick names this instrument: unique in the process, never 0 (see <see cref="InstrumentHandles"/>).</summary>
    internal int Handle { get; }

    /// <summary>Exchange, token and symbol as the user named them.</summary>
    public InstrumentKey Key { get; }

    /// <summary>The exchange segment.</summary>
    public Exchange Exchange => Key.Exchange;

    /// <summary>The broker token.</summary>
    public string Token => Key.Token;

    /// <summary>The trading symbol, when configured.</summary>
    public string? Symbol => Key.Symbol;

    /// <summary><c>EXCHANGE:TOKEN</c>, computed once (the symbol is a label, not part of the identity).</summary>
    public string Name { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
