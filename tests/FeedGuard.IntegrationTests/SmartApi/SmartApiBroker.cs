using System.Globalization;
using FeedGuard.Emulator;
using FeedGuard.Emulator.SmartApi;
using FeedGuard.Instruments;
using FeedGuard.IntegrationTests.Contract;
using FeedGuard.SmartApi;
using FeedGuard.SmartApi.Polling;
using FeedGuard.SmartApi.Streaming;
using FeedGuard.Sources;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>Angel One SmartAPI in the contract suite: SmartStream with its ping/pong, REST quote polling.</summary>
internal sealed class SmartApiBroker : ContractBroker
{
    // Distinctive values so the secrets test can search every byte of output for them.
    public const string ApiKey = "AK-q7Zx93VtLm";
    public const string ClientCode = "CC8841QZ";
    public const string JwtToken = "eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJDQzg4NDFRWiJ9.sig-W4kPz0Yr";
    public const string FeedToken = "FT-0x5e1d4c9b2a";

    private const byte NseCash = 1;

    public override string Name => EmulatorBrokers.SmartApi;

    // SmartStream's LTP packet already carries the exchange time and a sequence number.
    public override FeedMode Mode => FeedMode.Ltp;

    public override IReadOnlyList<string> Secrets => [ApiKey, ClientCode, JwtToken, FeedToken];

    public override int InstrumentsPerSocket => 1000;

    public override int Sockets => 3;

    public override IReadOnlyList<string> TooManyInstrumentsWords => ["at most 3000 instruments per client code", "FeedGuard:SmartApi:MaxSockets"];

    // The socket stays open but answers no ping: the client's pong deadline sees it first.
    public override DisconnectReason StallReason => DisconnectReason.NoPong;

    public override string? AuthRejectMessage => "Invalid Header - Invalid Feed Token";

    // Whichever asked first after the drop (the poll at once, or the reconnect), the broker's words reach the user.
    public override IReadOnlyList<string> AuthRejectedWords => ["Invalid Header - Invalid Feed Token", "Invalid Token (AG8001)"];

    public override string HandshakeRejectedWords => "SmartStream rejected the credentials (HTTP 401): Invalid Header - Invalid Feed Token";

    public override (string Connecting, string HandshakeRejected) LogEvents => ("SmartStreamConnecting", "HandshakeRejected");

    public override bool CountsMalformedPerPacket => true;

    public override IReadOnlyList<InstrumentKey> Instruments(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new InstrumentKey(Exchange.Nse, (1000 + i).ToString(CultureInfo.InvariantCulture)))];

    public override EmulatorOptions ConfigureEmulator(EmulatorOptions options, IReadOnlyList<InstrumentKey> instruments, double quoteRequestsPerSecond) => options with
    {
        SmartApi = new SmartApiEmulatorOptions
        {
            ApiKey = ApiKey,
            ClientCode = ClientCode,
            JwtToken = JwtToken,
            FeedToken = FeedToken,
            QuoteRequestsPerSecond = quoteRequestsPerSecond,
        },
    };

    public override BrokerSources CreateSources(BrokerEmulator emulator, HttpClient http, ClientSettings client, ILoggerFactory logging)
    {
        var options = new SmartApiOptions
        {
            StreamUrl = emulator.SmartStreamUrl,
            RestUrl = emulator.SmartApiRestUrl,
            ApiKey = ApiKey,
            ClientCode = ClientCode,
            JwtToken = JwtToken,
            FeedToken = client.WrongToken ? "FT-wrong-0000" : FeedToken,
            PingInterval = TimeSpan.FromMilliseconds(500),
            PongTimeout = TimeSpan.FromSeconds(1),
            KeepAliveInterval = TimeSpan.FromMilliseconds(500),
            KeepAliveTimeout = TimeSpan.FromSeconds(1),
            ConnectTimeout = client.ConnectTimeout ?? TimeSpan.FromSeconds(3),
            PollRequestsPerSecond = PollRequestsPerSecond,
            PollRequestTimeout = client.PollRequestTimeout ?? TimeSpan.FromSeconds(2),
            RateLimitCooldown = RestRateLimitCooldown,
        };
        return new BrokerSources(
            new SmartApiStreamingSource(options, null, TimeProvider.System, logging),
            new SmartApiPollingSource(options, http, null, TimeProvider.System, logging),
            options,
            options.Credentials);
    }

    public override IEnumerable<SentKey> SentPackets(BrokerEmulator emulator, Instrument instrument) =>
        emulator.GetSentTicks(NseCash, instrument.Token).Select(p => new SentKey(p.Sequence, p.LastTradedPrice, p.ExchangeTimeMs));

    public override SentKey KeyOf(in Tick tick) =>
        new(tick.Sequence ?? 0, tick.LastPriceUnits, tick.ExchangeTime?.ToUnixTimeMilliseconds() ?? 0);

    public override long PacketsSent(BrokerEmulator emulator, Instrument instrument) => emulator.GetPacketsSent(NseCash, instrument.Token);

    public override Task<IDisposable> OccupySocketAsync(BrokerEmulator emulator) =>
        ConnectRetryingAsync(emulator.SmartStreamUrl, o =>
        {
            o.SetRequestHeader("Authorization", JwtToken);
            o.SetRequestHeader("x-api-key", ApiKey);
            o.SetRequestHeader("x-client-code", ClientCode);
            o.SetRequestHeader("x-feed-token", FeedToken);
        });
}
