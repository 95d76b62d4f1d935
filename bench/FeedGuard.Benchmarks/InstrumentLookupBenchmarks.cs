using System.Text;
using BenchmarkDotNet.Attributes;
using FeedGuard.Instruments;

namespace FeedGuard.Benchmarks;

/// <summary>
/// Finding the interned instrument from a packet's NUL-padded 25-byte token field, the way the
/// SmartAPI decoder does it (trim, ASCII to a stack buffer, span lookup in the registry).
/// Baseline: decode the token to a new string and look it up in a plain Dictionary.
/// </summary>
[MemoryDiagnoser]
public class InstrumentLookupBenchmarks
{
    private const int TokenField = 25;
    private byte[] _field = [];
    private InstrumentRegistry _registry = null!;
    private Dictionary<string, Instrument> _plain = null!;

    /// <summary>Instruments subscribed on the feed.</summary>
    [Params(10, 1000)]
    public int Instruments { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = Fixtures.Registry(Instruments);
        _plain = _registry.All.ToDictionary(i => i.Token, StringComparer.Ordinal);
        _field = new byte[TokenField];
        Encoding.ASCII.GetBytes(Fixtures.Token(Instruments / 2), _field);
    }

    [Benchmark(Baseline = true)]
    public Instrument? NewStringAndDictionary()
    {
        ReadOnlySpan<byte> field = _field;
        var end = field.IndexOf((byte)0);
        var token = Encoding.ASCII.GetString(end >= 0 ? field[..end] : field);
        return _plain.TryGetValue(token, out var instrument) ? instrument : null;
    }

    [Benchmark]
    public Instrument? RegistrySpanLookup()
    {
        ReadOnlySpan<byte> field = _field;
        var end = field.IndexOf((byte)0);
        var bytes = end >= 0 ? field[..end] : field;
        Span<char> token = stackalloc char[TokenField];
        Ascii.ToUtf16(bytes, token, out var written);
        return _registry.TryGet(Exchange.Nse, token[..written], out var instrument) ? instrument : null;
    }
}
