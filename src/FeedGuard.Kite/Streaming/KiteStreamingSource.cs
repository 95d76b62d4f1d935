using FeedGuard.Instruments;
using FeedGuard.Kite.Codec;
using FeedGuard.Sources;
using FeedGuard.Ticks;
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
    private readonly IKiteConnector _connector;
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
        IKiteConnector? connector)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        _options = options;
        _credentials = credentials ?? (() => options.Credentials);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("FeedGuard.Kite.Stream");
        _connector = connector ?? new ClientWebSocketConnector(options, _time);
        _loggedUrl = KiteRedaction.Url(options.StreamUrl);
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

        var attempts = new Task<KiteTickerSocket>[shards.Length];
        for (var i = 0; i < shards.Length; i++)
        {
            attempts[i] = ConnectSocketAsync(i + 1, shards[i], request.Mode, decoder, credentials, observer, cancellationToken);
        }

        try
        {
            await Task.WhenAll(attempts).ConfigureAwait(false);
        }
        catch (Exception) when (attempts.Any(a => !a.IsCompletedSuccessfully))
        {
            foreach (var attempt in attempts.Where(a => a.IsCompletedSuccessfully))
            {
                await attempt.Result.DisposeAsync().ConfigureAwait(false);
            }

            // Report the failure that decides recovery best: auth stops retries, rate limits cool down.
            var failures = attempts.Where(a => a.IsFaulted).Select(a => a.Exception!.InnerException!).ToList();
            var classified = failures.OfType<FeedConnectionException>().OrderBy(Severity).FirstOrDefault();
            if (classified is not null)
            {
                throw classified;
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw failures.Count > 0 ? failures[0] : new OperationCanceledException(cancellationToken);
        }

        var sockets = attempts.Select(a => a.Result).ToArray();
        var connection = new KiteTickerConnection(sockets);
        foreach (var socket in sockets)
        {
            socket.Start();
        }

        return connection;
    }

    private static int Severity(FeedConnectionException ex) => ex.Reason switch
    {
        DisconnectReason.AuthRejected => 0,
        DisconnectReason.RateLimited => 1,
        _ => 2,
    };

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

    private KiteCredentials ReadCredentials()
    {
        KiteCredentials credentials;
        try
        {
            credentials = _credentials();
        }
        catch (Exception ex)
        {
            // The callback's message could quote a secret; the type is enough to act on.
            throw new FeedConnectionException(DisconnectReason.NetworkError, $"Kite credentials callback failed: {ex.GetType().Name}.");
        }

        if (credentials is null || credentials.ApiKey.Length == 0 || credentials.AccessToken.Length == 0)
        {
            throw new FeedConnectionException(
                DisconnectReason.AuthRejected,
                $"The Kite ticker needs {KiteOptions.SectionName}:ApiKey and {KiteOptions.SectionName}:AccessToken; at least one is empty.");
        }

        return credentials;
    }

    private async Task<KiteTickerSocket> ConnectSocketAsync(
        int index,
        Instrument[] instruments,
        FeedMode mode,
        KiteTickDecoder decoder,
        KiteCredentials credentials,
        IStreamObserver observer,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        KiteTickerSocket? socket = null;
        try
        {
            var webSocket = await _connector.ConnectAsync(credentials, linked.Token).ConfigureAwait(false);
            socket = new KiteTickerSocket(index, webSocket, instruments, mode, decoder, observer, credentials, _options, _time, _logger);
            await socket.SubscribeAsync(linked.Token).ConfigureAwait(false);
            var modeName = KiteRequests.ModeName(mode);
            Log.Subscribed(_logger, index, instruments.Length, modeName);
            return socket;
        }
        catch (FeedConnectionException ex)
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            Log.ConnectFailed(_logger, index, ex.Reason, ex.Message);
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            var seconds = _options.ConnectTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            var message = $"Kite ticker socket {index} did not connect and subscribe within {seconds} s ({KiteOptions.SectionName}:ConnectTimeout).";
            Log.ConnectFailed(_logger, index, DisconnectReason.NetworkError, message);
            throw new FeedConnectionException(DisconnectReason.NetworkError, message);
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or IOException)
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            var message = $"Kite ticker socket {index} failed while subscribing: {HandshakeClassifier.Describe(ex, credentials)}";
            Log.ConnectFailed(_logger, index, DisconnectReason.NetworkError, message);
            throw new FeedConnectionException(DisconnectReason.NetworkError, message);
        }
        catch
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask DisposeQuietlyAsync(KiteTickerSocket? socket)
    {
        if (socket is not null)
        {
            await socket.DisposeAsync().ConfigureAwait(false);
        }
    }
}
