namespace FeedGuard.Emulator.Kite;

/// <summary>The Kite side of the emulator. The default credentials are demo values, not secrets.</summary>
public sealed record KiteEmulatorOptions
{
    /// <summary>
    /// The built-in symbol map, <c>EXCHANGE:TRADINGSYMBOL</c> → instrument token. Real tokens of
    /// well-known instruments (NSE:INFY 408065, NSE:RELIANCE 738561, NSE:SBIN 779521, NSE:TCS
    /// 2953217, NSE:HDFCBANK 341249, NSE:TATAMOTORS 884737, BSE:INFY 128053508, the indices
    /// NSE:NIFTY 50 256265, NSE:NIFTY BANK 260105 and BSE:SENSEX 265) plus constructed examples
    /// whose tokens match the protocols §5 vectors: CDS:USDINR 412931 (segment 3, ÷10^7),
    /// BCD:USDINR 412934 (segment 6, ÷10^4) and NFO:NIFTY23NOVFUT 13368322 (segment 2).
    /// </summary>
    public static IReadOnlyDictionary<string, uint> DefaultInstruments { get; } = new Dictionary<string, uint>(StringComparer.Ordinal)
    {
        ["NSE:INFY"] = 408065,
        ["NSE:RELIANCE"] = 738561,
        ["NSE:SBIN"] = 779521,
        ["NSE:TCS"] = 2953217,
        ["NSE:HDFCBANK"] = 341249,
        ["NSE:TATAMOTORS"] = 884737,
        ["BSE:INFY"] = 128053508,
        ["NSE:NIFTY 50"] = 256265,
        ["NSE:NIFTY BANK"] = 260105,
        ["BSE:SENSEX"] = 265,
        ["CDS:USDINR"] = 412931,
        ["BCD:USDINR"] = 412934,
        ["NFO:NIFTY23NOVFUT"] = 13368322,
    };

    /// <summary>Handshake and REST strictness. Default <see cref="KiteAuthMode.Strict"/>.</summary>
    public KiteAuthMode AuthMode { get; init; } = KiteAuthMode.Strict;

    /// <summary>The valid <c>api_key</c>. Default <c>emulator-kite-key</c>.</summary>
    public string ApiKey { get; init; } = "emulator-kite-key";

    /// <summary>The valid <c>access_token</c>. Default <c>emulator-kite-token</c>.</summary>
    public string AccessToken { get; init; } = "emulator-kite-token";

    /// <summary>Concurrent ticker sockets per <c>api_key</c>; one more gets HTTP 429. Default 3.</summary>
    public int MaxSocketsPerApiKey { get; init; } = 3;

    /// <summary>Instruments one socket may subscribe; past it the request fails with the "Can't subscribe to more than N instruments." error text. Default 3000.</summary>
    public int MaxInstrumentsPerSocket { get; init; } = 3000;

    /// <summary>
    /// Longest silence on an open socket: when no tick frame went out for this long, a 1-byte
    /// heartbeat does (not while a stall fault holds the socket). Default 1 s; 0.05–10 s.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a socket sends, in one batched frame, every subscribed instrument that changed
    /// since its last frame (the latest state only, as the real ticker conflates). Default 50 ms; 1 ms–1 s.
    /// </summary>
    public TimeSpan FrameInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>REST <c>/quote</c>, <c>/quote/ohlc</c> and <c>/quote/ltp</c> requests per second, shared; more get HTTP 429 with a NetworkException. 0 = unlimited. Default 1.</summary>
    public double QuoteRequestsPerSecond { get; init; } = 1;

    /// <summary>Instruments per <c>/quote/ltp</c> request. Default 1000.</summary>
    public int MaxInstrumentsPerLtpRequest { get; init; } = 1000;

    /// <summary>Instruments per <c>/quote/ohlc</c> request. Default 1000.</summary>
    public int MaxInstrumentsPerOhlcRequest { get; init; } = 1000;

    /// <summary>Instruments per <c>/quote</c> request. Default 500.</summary>
    public int MaxInstrumentsPerQuoteRequest { get; init; } = 500;

    /// <summary>The symbol map REST uses, <c>EXCHANGE:TRADINGSYMBOL</c> → instrument token (segment in the low byte, 1–9). Default <see cref="DefaultInstruments"/>.</summary>
    public IReadOnlyDictionary<string, uint> Instruments { get; init; } = DefaultInstruments;

    /// <summary>
    /// Whether an <c>EXCHANGE:SYMBOL</c> missing from <see cref="Instruments"/> gets a token anyway:
    /// <c>((0x400000 | (FNV-1a(text) &amp; 0x3FFFFF)) &lt;&lt; 8) | segment</c>, the segment from the
    /// exchange (NSE 1, NFO 2, CDS 3, BSE 4, BFO 5, BCD 6, MCX 7, MCXSX 8, INDICES 9). Unknown
    /// exchanges never resolve. When false only mapped symbols have data; the others are left out
    /// of REST answers. Default true.
    /// </summary>
    public bool MapUnknownSymbols { get; init; } = true;

    internal void Validate()
    {
        if (!Enum.IsDefined(AuthMode))
        {
            throw new ArgumentException($"Kite.AuthMode {(int)AuthMode} is not Strict or Lenient.", nameof(AuthMode));
        }

        if (string.IsNullOrEmpty(ApiKey) || string.IsNullOrEmpty(AccessToken))
        {
            throw new ArgumentException("Kite.ApiKey and Kite.AccessToken must not be empty.", string.IsNullOrEmpty(ApiKey) ? nameof(ApiKey) : nameof(AccessToken));
        }

        if (MaxSocketsPerApiKey < 1 || MaxInstrumentsPerSocket < 1 || MaxInstrumentsPerLtpRequest < 1 || MaxInstrumentsPerOhlcRequest < 1 || MaxInstrumentsPerQuoteRequest < 1)
        {
            throw new ArgumentException("Kite.MaxSocketsPerApiKey, MaxInstrumentsPerSocket and MaxInstrumentsPer*Request must be at least 1.");
        }

        if (HeartbeatInterval < TimeSpan.FromMilliseconds(50) || HeartbeatInterval > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentException($"Kite.HeartbeatInterval must be 0.05–10 s; got {HeartbeatInterval}.", nameof(HeartbeatInterval));
        }

        if (FrameInterval < TimeSpan.FromMilliseconds(1) || FrameInterval > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException($"Kite.FrameInterval must be 1 ms–1 s; got {FrameInterval}.", nameof(FrameInterval));
        }

        if (QuoteRequestsPerSecond < 0 || double.IsNaN(QuoteRequestsPerSecond))
        {
            throw new ArgumentException($"Kite.QuoteRequestsPerSecond must be 0 (unlimited) or positive; got {QuoteRequestsPerSecond}.", nameof(QuoteRequestsPerSecond));
        }

        ArgumentNullException.ThrowIfNull(Instruments, nameof(Instruments));
        foreach (var (symbol, token) in Instruments)
        {
            var colon = symbol.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == symbol.Length - 1)
            {
                throw new ArgumentException($"Kite.Instruments key '{symbol}' is not EXCHANGE:TRADINGSYMBOL.", nameof(Instruments));
            }

            if ((token & 0xFF) is 0 or > KiteTickEncoder.IndicesSegment)
            {
                throw new ArgumentException($"Kite.Instruments['{symbol}'] = {token} has segment {token & 0xFF}; the low byte must be 1–9.", nameof(Instruments));
            }
        }
    }
}
