using System.Diagnostics;
using System.Net.WebSockets;
using FeedGuard.Emulator;
using FeedGuard.Instruments;
using FeedGuard.Sources;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;

namespace FeedGuard.IntegrationTests.Contract;

/// <summary>The real client sources of one broker, as the rig built them, with the options they were built from.</summary>
/// <param name="Streaming">The broker's streaming source.</param>
/// <param name="Polling">The broker's REST polling source.</param>
/// <param name="ClientOptions">The options record (the secrets test prints and serializes it).</param>
/// <param name="Credentials">The credentials record (printed and serialized too).</param>
internal sealed record BrokerSources(IStreamingSource Streaming, IPollingSource Polling, object ClientOptions, object Credentials);

/// <summary>
/// What the contract suite needs to know about one broker: how to configure the emulator's side of
/// it, how to build the real client against it, what its limits are, how it names things. Everything
/// else in <see cref="BrokerContractTests"/> is the same for every broker.
/// </summary>
internal abstract class ContractBroker
{
    /// <summary>Quote requests per second every broker's client is built with.</summary>
    public const double PollRequestsPerSecond = 10;

    /// <summary>The longest REST rate-limit cooldown every broker's client is built with (short, so drills recover quickly).</summary>
    public static readonly TimeSpan RestRateLimitCooldown = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many REST requests a client backing off from a rate limit that never lifts may send within
    /// <paramref name="elapsed"/>: the first at once, then one after each cooldown of two request
    /// spacings doubling up to <see cref="RestRateLimitCooldown"/> (0.2, 0.4, 0.8, 1, 1, … s).
    /// </summary>
    public static int RequestsAllowedUnderARateLimit(TimeSpan elapsed)
    {
        var requests = 1;
        var at = TimeSpan.Zero;
        for (var wait = TimeSpan.FromSeconds(2 / PollRequestsPerSecond); ; wait = wait * 2 < RestRateLimitCooldown ? wait * 2 : RestRateLimitCooldown)
        {
            at += wait;
            if (at > elapsed)
            {
                return requests;
            }

            requests++;
        }
    }

    /// <summary>The emulator's name of this broker (<see cref="EmulatorBrokers"/>); faults are scoped to it.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// The feed mode the contract runs in: one whose stream packets carry an exchange time, so that
    /// "no backward tick" and "no duplicate" can be checked across the stream and polling tiers.
    /// </summary>
    public abstract FeedMode Mode { get; }

    /// <summary>Every credential value the rig uses: none may appear in any output.</summary>
    public abstract IReadOnlyList<string> Secrets { get; }

    /// <summary>The broker's instruments per socket.</summary>
    public abstract int InstrumentsPerSocket { get; }

    /// <summary>The broker's sockets per credential.</summary>
    public abstract int Sockets { get; }

    /// <summary>Words the refusal of too many instruments must contain (the limit, in the broker's terms, and the key to change).</summary>
    public abstract IReadOnlyList<string> TooManyInstrumentsWords { get; }

    /// <summary>Why the stream ends when the server goes silent on a socket that stays open.</summary>
    public abstract DisconnectReason StallReason { get; }

    /// <summary>The broker's own words for an auth-reject fault (sent where its protocol has room for them), or null.</summary>
    public abstract string? AuthRejectMessage { get; }

    /// <summary>After an auth-reject fault the status error contains at least one of these (stream or REST, whichever asked first).</summary>
    public abstract IReadOnlyList<string> AuthRejectedWords { get; }

    /// <summary>Words the status must show when the stream's handshake is refused for bad credentials.</summary>
    public abstract string HandshakeRejectedWords { get; }

    /// <summary>The log event names of a connect attempt and of a refused handshake (the secrets test checks the capture saw them).</summary>
    public abstract (string Connecting, string HandshakeRejected) LogEvents { get; }

    /// <summary>
    /// True when the client counts each bad packet (SmartAPI sends one packet per frame); false when
    /// it counts each bad frame, which the emulator may have filled with several bad packets (Kite).
    /// </summary>
    public abstract bool CountsMalformedPerPacket { get; }

    /// <summary><paramref name="count"/> instruments the emulator serves on the stream and over REST.</summary>
    public abstract IReadOnlyList<InstrumentKey> Instruments(int count);

    /// <summary>The emulator's side: credentials, the instruments' symbols, quote rate limit.</summary>
    public abstract EmulatorOptions ConfigureEmulator(EmulatorOptions options, IReadOnlyList<InstrumentKey> instruments, double quoteRequestsPerSecond);

    /// <summary>The real streaming and polling sources against <paramref name="emulator"/>, with the rig's short timings.</summary>
    public abstract BrokerSources CreateSources(BrokerEmulator emulator, HttpClient http, ClientSettings client, ILoggerFactory logging);

    /// <summary>The well-formed packets the emulator logged for <paramref name="instrument"/>.</summary>
    public abstract IEnumerable<SentKey> SentPackets(BrokerEmulator emulator, Instrument instrument);

    /// <summary>How <paramref name="tick"/> names the packet it was decoded from.</summary>
    public abstract SentKey KeyOf(in Tick tick);

    /// <summary>Well-formed packets sent for <paramref name="instrument"/> over all sockets.</summary>
    public abstract long PacketsSent(BrokerEmulator emulator, Instrument instrument);

    /// <summary>Opens one stream socket with the rig's credentials, as another program on the same account would.</summary>
    public abstract Task<IDisposable> OccupySocketAsync(BrokerEmulator emulator);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Opens a socket to <paramref name="url"/>, retrying for up to 2 s while the emulator still counts a socket just dropped.</summary>
    protected static async Task<IDisposable> ConnectRetryingAsync(Uri url, Action<ClientWebSocketOptions> configure)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var ws = new ClientWebSocket();
            configure(ws.Options);
            try
            {
                await ws.ConnectAsync(url, CancellationToken.None);
                return ws;
            }
            catch (WebSocketException) when (clock.Elapsed < TimeSpan.FromSeconds(2))
            {
                // The dropped socket's slot is released a moment after the reset.
                ws.Dispose();
                await Task.Delay(20);
            }
        }
    }
}
