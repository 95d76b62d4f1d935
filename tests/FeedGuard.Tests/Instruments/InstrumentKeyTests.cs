using FeedGuard.Instruments;

namespace FeedGuard.Tests.Instruments;

/// <summary>How users name instruments in code and configuration: EXCHANGE:TOKEN[:SYMBOL].</summary>
public sealed class InstrumentKeyTests
{
    [Theory]
    [InlineData("NSE:3045", Exchange.Nse, "3045", null)]
    [InlineData("nse:3045", Exchange.Nse, "3045", null)]
    [InlineData("Nfo:35001", Exchange.Nfo, "35001", null)]
    [InlineData("NSE:408065:INFY", Exchange.Nse, "408065", "INFY")]
    [InlineData("MCX:CRUDEOIL24NOV", Exchange.Mcx, "CRUDEOIL24NOV", null)]
    [InlineData("MCXSX:1", Exchange.Mcxsx, "1", null)]
    [InlineData("NCDEX:77", Exchange.Ncdex, "77", null)]
    [InlineData("  BSE : 500325 : RELIANCE  ", Exchange.Bse, "500325", "RELIANCE")]
    [InlineData("CDS:1:USDINR 24NOV FUT", Exchange.Cds, "1", "USDINR 24NOV FUT")]
    public void Parse_GoodForm_GivesExchangeTokenAndSymbol(string text, Exchange exchange, string token, string? symbol)
    {
        var key = InstrumentKey.Parse(text);

        Assert.Equal(exchange, key.Exchange);
        Assert.Equal(token, key.Token);
        Assert.Equal(symbol, key.Symbol);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void TryParse_Empty_FailsSayingTheFormAndEmpty(string? text)
    {
        Assert.False(InstrumentKey.TryParse(text, out var key, out var error));

        Assert.Null(key);
        Assert.Contains("EXCHANGE:TOKEN", error, StringComparison.Ordinal);
        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoColon_ThrowsFormatExceptionShowingTheForm()
    {
        var ex = Assert.Throws<FormatException>(() => InstrumentKey.Parse("NSE3045"));

        Assert.Contains("'NSE3045'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EXCHANGE:TOKEN", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NYSE:3045", "'NYSE'")]
    [InlineData(":3045", "''")]
    [InlineData("N SE:3045", "'N SE'")]
    public void Parse_UnknownExchange_MessageNamesItAndListsTheAllowedOnes(string text, string quotedExchange)
    {
        var ex = Assert.Throws<FormatException>(() => InstrumentKey.Parse(text));

        Assert.Contains(quotedExchange, ex.Message, StringComparison.Ordinal);
        Assert.Contains("NSE, NFO, CDS, BSE, BFO, BCD, MCX, MCXSX, NCDEX", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NSE:")]
    [InlineData("NSE: ")]
    [InlineData("NSE:30-45")]
    [InlineData("NSE:30 45")]
    [InlineData("NSE:30.45")]
    [InlineData("NSE:३०४५")]
    [InlineData("NSE:1234567890123456789012345")]
    public void Parse_BadToken_MessageSaysWhatATokenIs(string text)
    {
        var ex = Assert.Throws<FormatException>(() => InstrumentKey.Parse(text));

        Assert.Contains("token", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ASCII letters or digits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TokenOfTwentyFourCharacters_IsAccepted()
    {
        Assert.Equal(new string('7', 24), InstrumentKey.Parse("NSE:" + new string('7', 24)).Token);
    }

    [Theory]
    [InlineData("NSE:3045:")]
    [InlineData("NSE:3045:   ")]
    public void Parse_EmptySymbol_FailsNamingTheSymbol(string text)
    {
        var ex = Assert.Throws<FormatException>(() => InstrumentKey.Parse(text));

        Assert.Contains("empty symbol", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Good_HasNoError()
    {
        Assert.True(InstrumentKey.TryParse("NSE:3045", out var key, out var error));

        Assert.Equal(new InstrumentKey(Exchange.Nse, "3045"), key);
        Assert.Null(error);
    }

    [Fact]
    public void Equals_SameExchangeAndTokenWithOtherSymbol_IsEqualWithEqualHash()
    {
        var plain = InstrumentKey.Parse("NSE:3045");
        var labelled = InstrumentKey.Parse("nse:3045:SBIN-EQ");

        Assert.Equal(plain, labelled);
        Assert.Equal(plain.GetHashCode(), labelled.GetHashCode());
    }

    [Theory]
    [InlineData("NSE:3045", "BSE:3045")]
    [InlineData("NSE:3045", "NSE:3046")]
    [InlineData("MCX:abc", "MCX:ABC")]
    public void Equals_OtherExchangeOrToken_IsNotEqual(string a, string b)
    {
        Assert.NotEqual(InstrumentKey.Parse(a), InstrumentKey.Parse(b));
    }

    [Theory]
    [InlineData("nse:3045", "NSE:3045")]
    [InlineData(" ncdex : 77 : GUARSEED ", "NCDEX:77:GUARSEED")]
    public void ToString_ParsedKey_IsTheCanonicalFormThatParsesBack(string text, string expected)
    {
        var key = InstrumentKey.Parse(text);

        Assert.Equal(expected, key.ToString());
        Assert.Equal(key, InstrumentKey.Parse(key.ToString()));
        Assert.Equal(key.Symbol, InstrumentKey.Parse(key.ToString()).Symbol);
    }
}
