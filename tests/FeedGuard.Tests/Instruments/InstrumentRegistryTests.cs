using FeedGuard.Instruments;

namespace FeedGuard.Tests.Instruments;

/// <summary>Instruments are interned once at start and looked up from decoded packets without allocating.</summary>
public sealed class InstrumentRegistryTests
{
    private static readonly InstrumentKey[] Keys =
    [
        InstrumentKey.Parse("NSE:3045:SBIN"),
        InstrumentKey.Parse("NSE:2885"),
        InstrumentKey.Parse("BSE:3045"),
        InstrumentKey.Parse("MCX:CRUDEOIL24NOV"),
    ];

    [Theory]
    [InlineData(Exchange.Nse, "3045", "NSE:3045:SBIN")]
    [InlineData(Exchange.Bse, "3045", "BSE:3045")]
    [InlineData(Exchange.Nse, "2885", "NSE:2885")]
    [InlineData(Exchange.Mcx, "CRUDEOIL24NOV", "MCX:CRUDEOIL24NOV")]
    [InlineData(Exchange.Nse, "007", "NSE:007")]
    [InlineData(Exchange.Nse, "7", "NSE:7")]
    public void TryGetAscii_RegisteredTokenBytes_FindsTheInstrumentOfThatExchange(Exchange exchange, string token, string expected)
    {
        var registry = new InstrumentRegistry([.. Keys, InstrumentKey.Parse("NSE:007"), InstrumentKey.Parse("NSE:7")]);

        Assert.True(registry.TryGetAscii(exchange, System.Text.Encoding.ASCII.GetBytes(token), out var instrument));
        Assert.Equal(InstrumentKey.Parse(expected), instrument.Key);
    }

    [Theory]
    [InlineData(Exchange.Nse, "03045")]
    [InlineData(Exchange.Mcx, "3045")]
    [InlineData(Exchange.Nse, "30450")]
    [InlineData(Exchange.Nse, "")]
    [InlineData(Exchange.Nse, "3045 ")]
    [InlineData(Exchange.Nse, "9999999999999999999999")]
    [InlineData(Exchange.Mcx, "crudeoil24nov")]
    public void TryGetAscii_TokenNotRegisteredInThatSpelling_FindsNothing(Exchange exchange, string token)
    {
        var registry = new InstrumentRegistry(Keys);

        Assert.False(registry.TryGetAscii(exchange, System.Text.Encoding.ASCII.GetBytes(token), out var instrument));
        Assert.Null(instrument);
    }

    [Fact]
    public void TryGetAscii_NonAsciiBytes_FindsNothing()
    {
        var registry = new InstrumentRegistry(Keys);

        Assert.False(registry.TryGetAscii(Exchange.Nse, [0x33, 0xC3, 0xA9], out _));
    }

    [Fact]
    public void Constructor_Keys_GetDenseIdsInTheOrderGiven()
    {
        var registry = new InstrumentRegistry(Keys);

        Assert.Equal(4, registry.Count);
        Assert.Equal([0, 1, 2, 3], registry.All.Select(i => i.Id));
        Assert.Equal(Keys, registry.All.Select(i => i.Key));
        for (var id = 0; id < registry.Count; id++)
        {
            Assert.Same(registry.All[id], registry[id]);
        }
    }

    [Fact]
    public void Instrument_Properties_ComeFromItsKey()
    {
        var sbin = new InstrumentRegistry(Keys)[0];

        Assert.Equal(Exchange.Nse, sbin.Exchange);
        Assert.Equal("3045", sbin.Token);
        Assert.Equal("SBIN", sbin.Symbol);
        Assert.Equal("NSE:3045", sbin.Name);
        Assert.Equal("NSE:3045", sbin.ToString());
    }

    [Fact]
    public void TryGet_SameKeyAnyWay_GivesTheSameObject()
    {
        var registry = new InstrumentRegistry(Keys);

        Assert.True(registry.TryGet(Exchange.Nse, "3045", out var byString));
        Assert.True(registry.TryGet(Exchange.Nse, "x3045x".AsSpan(1, 4), out var bySpan));
        Assert.True(registry.TryGet(InstrumentKey.Parse("nse:3045:OTHER-LABEL"), out var byKey));

        Assert.Same(registry[0], byString);
        Assert.Same(registry[0], bySpan);
        Assert.Same(registry[0], byKey);
    }

    [Fact]
    public void TryGet_SameTokenOnAnotherExchange_IsAnotherInstrument()
    {
        var registry = new InstrumentRegistry(Keys);

        Assert.True(registry.TryGet(Exchange.Bse, "3045", out var bse));

        Assert.Same(registry[2], bse);
        Assert.NotSame(registry[0], bse);
    }

    [Theory]
    [InlineData(Exchange.Nse, "9999")]
    [InlineData(Exchange.Nfo, "3045")]
    [InlineData(Exchange.Mcx, "crudeoil24nov")]
    [InlineData(Exchange.Nse, "")]
    [InlineData((Exchange)0, "3045")]
    [InlineData((Exchange)200, "3045")]
    public void TryGet_Unknown_IsFalseWithNull(Exchange exchange, string token)
    {
        var registry = new InstrumentRegistry(Keys);

        Assert.False(registry.TryGet(exchange, token.AsSpan(), out var instrument));
        Assert.Null(instrument);
    }

    [Fact]
    public void TryGet_Span_DoesNotAllocate()
    {
        var registry = new InstrumentRegistry(Keys);
        ReadOnlySpan<char> packet = "3045|2885|CRUDEOIL24NOV|404";
        var sbin = packet[..4];
        var reliance = packet[5..9];
        var crude = packet[10..23];
        var missing = packet[24..];
        var found = 0;
        for (var i = 0; i < 1_000; i++)
        {
            found += Lookups(registry, sbin, reliance, crude, missing);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            found += Lookups(registry, sbin, reliance, crude, missing);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(3 * 101_000, found);
    }

    [Fact]
    public void Constructor_DuplicateKey_ThrowsNamingTheKey()
    {
        var ex = Assert.Throws<ArgumentException>(() => new InstrumentRegistry([InstrumentKey.Parse("NSE:3045"), InstrumentKey.Parse("BSE:1"), InstrumentKey.Parse("nse:3045:SBIN")]));

        Assert.Contains("NSE:3045", ex.Message, StringComparison.Ordinal);
        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NoKeys_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new InstrumentRegistry([]));

        Assert.Contains("At least one instrument", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_TwoRegistries_InternSeparately()
    {
        var a = new InstrumentRegistry(Keys);
        var b = new InstrumentRegistry(Keys);

        Assert.NotSame(a[0], b[0]);
        Assert.Equal(a[0].Key, b[0].Key);
    }

    private static int Lookups(InstrumentRegistry registry, ReadOnlySpan<char> sbin, ReadOnlySpan<char> reliance, ReadOnlySpan<char> crude, ReadOnlySpan<char> missing)
    {
        var found = 0;
        found += registry.TryGet(Exchange.Nse, sbin, out _) ? 1 : 0;
        found += registry.TryGet(Exchange.Nse, reliance, out _) ? 1 : 0;
        found += registry.TryGet(Exchange.Mcx, crude, out _) ? 1 : 0;
        found += registry.TryGet(Exchange.Nse, missing, out _) ? 1 : 0;
        return found;
    }
}
