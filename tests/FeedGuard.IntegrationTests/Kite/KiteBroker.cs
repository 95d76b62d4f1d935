using System.Globalization;
using FeedGuard.Emulator;
using FeedGuard.Emulator.Kite;
using FeedGuard.Instruments;
using FeedGuard.IntegrationTests.Contract;
using FeedGuard.Kite;
using FeedGuard.Kite.Polling;
using FeedGuard.Kite.Streaming;
using FeedGuard.Sources;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;

namespace FeedGuard.IntegrationTests.Kite;

/// <summary>Zerodha Kite Connect in the contract suite: the ticker with its 1-byte heartbeats, REST /quote polling by symbol.</summary>
internal sealed class KiteBroker : ContractBroker
{
    // Distinctive values so the secrets test can search every byte of output for them.
    public const string ApiKey = "kite-api-7Hq2Lp9Xw";
    public const string AccessToken = "kite-at-Zr48QmV3tYb6Nd";

    public override string Name => EmulatorBrokers.Kite;

    // Only the full packet carries the exchange time (ltp and quote packets have none).
    public override FeedMode Mode => FeedMode.Full;

    public override IReadOnlyList<string> Secrets => [ApiKey, AccessToken];

    public override int InstrumentsPerSocket => KiteOptions.BrokerInstrumentsPerSocket;

    public override int Sockets => KiteOptions.BrokerSockets;

    public override IReadOnlyList<string> TooManyInstrumentsWords => ["Kite streams at most 9000 instruments per api_key", "FeedGuard:Kite:MaxSockets"];

    // The socket stays open but sends nothing, not even the 1-byte heartbeat: the client's frame deadline sees it first.
    public override DisconnectReason StallReason => DisconnectReason.NoData;

    // The ticker's 403 carries no text of its own; REST's TokenException envelope does.
    public override string? AuthRejectMessage => null;

    public override IReadOnlyList<string> AuthRejectedWords => ["HTTP 403"];

    public override string HandshakeRejectedWords => "Kite ticker rejected the api_key or access_token (HTTP 403, TokenException)";

    public override (string Connecting, string HandshakeRejected) LogEvents => ("KiteTickerConnecting", "KiteTickerConnectFailed");

    public override bool CountsMalformedPerPacket => false;

    /// <summary>NSE instruments (segment 1 in the token's low byte) named <c>NSE:TOKEN:KCnnnn</c>; the emulator maps the symbols back.</summary>
    public override IReadOnlyList<InstrumentKey> Instruments(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new InstrumentKey(
            Exchange.Nse,
            (((1000u + (uint)i) << 8) | 1).ToString(CultureInfo.InvariantCulture),
            "KC" + i.ToString("D4", CultureInfo.InvariantCulture)))];

    public override EmulatorOptions ConfigureEmulator(EmulatorOptions options, IReadOnlyList<InstrumentKey> instruments, double quoteRequestsPerSecond) => options with
    {
        Kite = new KiteEmulatorOptions
        {
            ApiKey = ApiKey,
            AccessToken = AccessToken,
            QuoteRequestsPerSecond = quoteRequestsPerSecond,
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
            Instruments = instruments.ToDictionary(i => "NSE:" + i.Symbol, i => uint.Parse(i.Token, CultureInfo.InvariantCulture), StringComparer.Ordinal),
            MapUnknownSymbols = false,
        },
    };

    public override BrokerSources CreateSources(BrokerEmulator emulator, HttpClient http, ClientSettings client, ILoggerFactory logging)
    {
        var options = new KiteOptions
        {
            StreamUrl = emulator.KiteStreamUrl,
            RestUrl = emulator.KiteRestUrl,
            ApiKey = ApiKey,
            AccessToken = client.WrongToken ? "kite-at-wrong-0000" : AccessToken,

            // Six heartbeat periods of the emulator; the keep-alive ping (1 s + 3 s) is the slower
            // backstop, so a silent socket is always condemned by the frame deadline.
            HeartbeatTimeout = TimeSpan.FromSeconds(1.5),
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            KeepAliveTimeout = TimeSpan.FromSeconds(3),
            ConnectTimeout = client.ConnectTimeout ?? TimeSpan.FromSeconds(3),
            PollRequestsPerSecond = PollRequestsPerSecond,
            PollRequestTimeout = client.PollRequestTimeout ?? TimeSpan.FromSeconds(2),
            RateLimitCooldown = RestRateLimitCooldown,
        };
        return new BrokerSources(
            new KiteStreamingSource(options, null, TimeProvider.System, logging),
            new KitePollingSource(options, http, null, TimeProvider.System, logging),
            options,
            options.Credentials);
    }

    // The ticker stamps whole seconds and numbers nothing.
    public override IEnumerable<SentKey> SentPackets(BrokerEmulator emulator, Instrument instrument) =>
        emulator.GetKiteSentTicks(Token(instrument)).Select(p => new SentKey(0, p.LastTradedPrice, p.ExchangeTimeMs / 1000 * 1000));

    public override SentKey KeyOf(in Tick tick) => new(0, tick.LastPriceUnits, tick.ExchangeTime?.ToUnixTimeMilliseconds() ?? 0);

    public override long PacketsSent(BrokerEmulator emulator, Instrument instrument) => emulator.GetKitePacketsSent(Token(instrument));

    public override Task<IDisposable> OccupySocketAsync(BrokerEmulator emulator) =>
        ConnectRetryingAsync(
            new UriBuilder(emulator.KiteStreamUrl) { Query = $"api_key={ApiKey}&access_token={AccessToken}" }.Uri,
            o => o.SetRequestHeader("X-Kite-Version", "3"));

    private static uint Token(Instrument instrument) => uint.Parse(instrument.Token, CultureInfo.InvariantCulture);
}
