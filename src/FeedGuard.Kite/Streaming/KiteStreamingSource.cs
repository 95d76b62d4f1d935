using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Sources;
using FeedGuard.Sources.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedGuard.Kite.Streaming;

/// <summary>
/// Zerodha Kite Connect's ticker WebSocket as a FeedGuard streaming source. Each connect reads the
/// credentials afresh, opens as many sockets as the instruments need (at most
/// <see cref="KiteOptions.MaxSockets"/>, each with at most
/// <see cref="KiteOptions.MaxInstrumentsPerSocket"/> instruments), subscribes their numeric tokens,
/// sets the request's mode and returns one connection over all of them. It never reconnects by
/// itself; since every connect is fresh, subscriptions and modes are re-sent after every reconnect.
/// </summary>
/// <remarks>
/// Instruments are named <c>EXCHANGE:TOKEN[:SYMBOL]</c> with Kite's numeric instrument_token, for
/// example <c>NSE:408065:INFY</c>; the symbol is what the polling source asks for.
/// </remarks>
public sealed class KiteStreamingSource : IStreamingSource
{
    private readonly KiteOptions _options;
    private readonly Func<KiteCredentials> _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IWebSocketConnector<KiteCredentials> _connector;
    private readonly ShardConnector _shards;
    private readonly string _loggedUrl;
    private Tuple<InstrumentRegistry, KiteTickDecoder>? _decoder;

    /// <summary>Creates the source.</summary>
    /// <param name="options">Validated here; throws <see cref="ArgumentException"/> naming each bad key.</param>
    /// <param name="credentials">
    /// Called on every connect so a refreshed access token takes effect. Default: the credentials
    /// in <paramref name="options"/>.
    /// </param>
    /// <param name="timeProvider">Clock for liveness and timeouts. Default <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Default <see cref="NullLoggerFactory.Instance"/>.</param>
    public KiteStreamingSource(
        KiteOptions options,
        Func<KiteCredentials>? credentials = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(options, credentials, timeProvider, loggerFactory, null)
    {
    }

    internal KiteStreamingSource(
        KiteOptions options,
        Func<KiteCredentials>? credentials,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory,
        IWebSocketConnector<KiteCredentials>? connector)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        _options = options;
        _credentials = credentials ?? (() => options.Credentials);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("FeedGuard.Kite.Stream");
        _connector = connector ?? new ClientWebSocketConnector(options, _time);
        _loggedUrl = KiteRedaction.Url(options.StreamUrl);
        _shards = new ShardConnector(
            "Kite ticker",
            options.ConnectTimeout,
            $"{KiteOptions.SectionName}:ConnectTimeout",
            _time,
            (socket, reason, message) => Log.ConnectFailed(_logger, socket, reason, message));
    }

    /// <inheritdoc />
    public string Name => "kite";

    /// <inheritdoc />
    /// <remarks>
    /// More than <c>MaxSockets × MaxInstrumentsPerSocket</c> (9000) instruments, a token that is
    /// not Kite's numeric instrument_token, a token whose segment byte names another exchange, or an
    /// exchange Kite does not serve.
    /// </remarks>
    public IReadOnlyList<string> Validate(StreamRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SubscriptionPlanner.Validate(request.Instruments.All, _options);
    }

    /// <inheritdoc />
    public async ValueTask<IStreamConnection> ConnectAsync(StreamRequest request, IStreamObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        var credentials = ReadCredentials();
        var shards = SubscriptionPlanner.Plan(request.Instruments.All, _options);
        var decoder = DecoderFor(request.Instruments);
        var modeName = KiteRequests.ModeName(request.Mode);
        Log.Connecting(_logger, shards.Length, _loggedUrl, request.Instruments.Count, modeName);

        var sockets = await _shards.ConnectAllAsync(
            shards.Length,
            async (index, ct) =>
            {
                var webSocket = await _connector.ConnectAsync(credentials, ct).ConfigureAwait(false);
                return new KiteTickerSocket(index, webSocket, shards[index - 1], request.Mode, decoder, observer, credentials, _options, _time, _logger);
            },
            async (socket, ct) =>
            {
                await socket.SubscribeAsync(ct).ConfigureAwait(false);
                Log.Subscribed(_logger, socket.Index, socket.Instruments.Length, modeName);
            },
            ex => HandshakeClassifier.Describe(ex, credentials),
            cancellationToken).ConfigureAwait(false);

        var connection = new ShardedStreamConnection(sockets);
        foreach (var socket in sockets)
        {
            socket.Start();
        }

        return connection;
    }

    // The supervisor passes the same registry on every reconnect: build the token map once.
    private KiteTickDecoder DecoderFor(InstrumentRegistry registry)
    {
        if (Volatile.Read(ref _decoder) is { } cached && ReferenceEquals(cached.Item1, registry))
        {
            return cached.Item2;
        }

        var decoder = new KiteTickDecoder(registry);
        Volatile.Write(ref _decoder, Tuple.Create(registry, decoder));
        return decoder;
    }

    private KiteCredentials ReadCredentials() => CredentialsCallback.Read(
        _credentials,
        "Kite",
        c => c.ApiKey.Length > 0 && c.AccessToken.Length > 0,
        $"The Kite ticker needs {KiteOptions.SectionName}:ApiKey and {KiteOptions.SectionName}:AccessToken; at least one is empty.");
}
