using System.Text;
using System.Text.Json;
using FeedGuard.Emulator.Hosting;
using FeedGuard.Emulator.Kite;
using FeedGuard.Emulator.Market;
using Microsoft.AspNetCore.Builder;

namespace FeedGuard.Emulator;

/// <content>The Kite side: URLs, symbol map, market probes and text pushes.</content>
public sealed partial class BrokerEmulator
{
    private KiteSymbolMap? _kiteSymbols;

    /// <summary>
    /// The Kite ticker URL, <c>ws://127.0.0.1:PORT/kite</c>, to use in place of
    /// <c>wss://ws.kite.trade</c>; add <c>?api_key=…&amp;access_token=…</c>. The root path
    /// (<c>ws://127.0.0.1:PORT/</c>) serves the same ticker.
    /// </summary>
    public Uri KiteStreamUrl => new UriBuilder(BaseUrl) { Scheme = BaseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Path = KiteTickerEndpoint.Path }.Uri;

    /// <summary>The Kite REST root to use in place of <c>https://api.kite.trade</c>: <c>{root}quote/ltp</c>, <c>{root}quote/ohlc</c>, <c>{root}quote</c>.</summary>
    public Uri KiteRestUrl => BaseUrl;

    /// <summary>
    /// The instrument token the emulator uses for <c>EXCHANGE:TRADINGSYMBOL</c> (the configured
    /// map, else the deterministic mapping described on <see cref="KiteEmulatorOptions.MapUnknownSymbols"/>).
    /// </summary>
    /// <param name="exchangeSymbol">For example <c>NSE:INFY</c>.</param>
    /// <param name="instrumentToken">The token, when the symbol has data.</param>
    public bool TryGetKiteToken(string exchangeSymbol, out uint instrumentToken)
    {
        ArgumentNullException.ThrowIfNull(exchangeSymbol);
        _kiteSymbols ??= new KiteSymbolMap(Options.Kite);
        return _kiteSymbols.TryResolve(exchangeSymbol, out instrumentToken);
    }

    /// <summary>
    /// The well-formed Kite packets sent for a token, oldest first (bounded by
    /// <see cref="EmulatorOptions.SentLogCapacity"/>). <see cref="SentTick.Mode"/> is the
    /// <see cref="KiteTickMode"/> value (1 ltp, 2 quote, 3 full); prices are in the segment's unit.
    /// </summary>
    /// <param name="instrumentToken">The instrument token.</param>
    public IReadOnlyList<SentTick> GetKiteSentTicks(uint instrumentToken) => FindKite(instrumentToken)?.SentLog() ?? [];

    /// <summary>Well-formed Kite packets sent for a token over all sockets and modes.</summary>
    /// <param name="instrumentToken">The instrument token.</param>
    public long GetKitePacketsSent(uint instrumentToken) => FindKite(instrumentToken)?.PacketsSent ?? 0;

    /// <summary>
    /// The market's latest state of a Kite instrument (what REST answers and the next frame
    /// sends), or false when nobody has asked for it yet or its segment is not 1–9.
    /// </summary>
    /// <param name="instrumentToken">The instrument token.</param>
    /// <param name="lastPrice">Last price in the segment's unit (÷100, ÷10^7 for CDS, ÷10^4 for BCD).</param>
    /// <param name="sequence">The sequence number of that state.</param>
    public bool TryGetKiteLatest(uint instrumentToken, out long lastPrice, out long sequence)
    {
        var snapshot = FindKite(instrumentToken)?.Snapshot();
        lastPrice = snapshot?.LastTradedPrice ?? 0;
        sequence = snapshot?.Sequence ?? 0;
        return snapshot is not null;
    }

    /// <summary>Sends <c>{"type":"message","data":…}</c> (a broker alert) on every open Kite socket.</summary>
    /// <param name="message">The alert text.</param>
    /// <returns>The number of sockets it was queued on.</returns>
    public int SendKiteMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return BroadcastKite(KiteTickerSession.TextMessage("message", message));
    }

    /// <summary>Sends <c>{"type":"error","data":…}</c> on every open Kite socket; the socket stays open.</summary>
    /// <param name="error">The error text.</param>
    /// <returns>The number of sockets it was queued on.</returns>
    public int SendKiteError(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return BroadcastKite(KiteTickerSession.TextMessage("error", error));
    }

    /// <summary>Sends an order postback, <c>{"type":"order","data":{…}}</c>, on every open Kite socket.</summary>
    /// <param name="orderJson">The order object (the Postback payload), as JSON.</param>
    /// <returns>The number of sockets it was queued on.</returns>
    /// <exception cref="ArgumentException"><paramref name="orderJson"/> is not a JSON object.</exception>
    public int SendKiteOrderUpdate(string orderJson)
    {
        ArgumentNullException.ThrowIfNull(orderJson);
        using var order = ParseObject(orderJson);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "order");
            writer.WritePropertyName("data");
            order.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }

        return BroadcastKite(buffer.ToArray());
    }

    private static JsonDocument ParseObject(string json)
    {
        try
        {
            var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(json));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
        }
        catch (JsonException)
        {
        }

        throw new ArgumentException("An order update must be a JSON object.", nameof(json));
    }

    private int BroadcastKite(byte[] text)
    {
        var count = 0;
        foreach (var connection in _runtime.Connections.OfBroker(EmulatorBrokers.Kite))
        {
            ((KiteTickerSession)connection).EnqueueText(text);
            count++;
        }

        return count;
    }

    private Instrument? FindKite(uint instrumentToken) =>
        KiteSymbolMap.TryGetKey(instrumentToken, out var key) ? _runtime.Market.Find(key) : null;

    private static void MapKiteEndpoints(WebApplication app, EmulatorRuntime runtime)
    {
        var symbols = new KiteSymbolMap(runtime.Options.Kite);
        var ticker = new KiteTickerEndpoint(runtime);
        var rest = new KiteRestEndpoint(runtime, symbols);

        // protocols §2.1: the real ticker lives at the root; /kite keeps it apart from SmartStream.
        app.Map(KiteTickerEndpoint.Path, ticker.HandleAsync);
        app.Map("/", ticker.HandleAsync);
        app.MapGet(KiteRestEndpoint.LtpPath, rest.LtpAsync);
        app.MapGet(KiteRestEndpoint.OhlcPath, rest.OhlcAsync);
        app.MapGet(KiteRestEndpoint.QuotePath, rest.QuoteAsync);
    }
}
