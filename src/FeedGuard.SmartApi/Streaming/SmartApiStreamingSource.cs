using FeedGuard.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FeedGuard.SmartApi.Streaming;

/// <summary>
/// Angel One SmartStream (WebSocket 2.0) as a FeedGuard streaming source. Each connect reads the
/// credentials afresh, opens as many sockets as the instruments need (at most
/// <see cref="SmartApiOptions.MaxSockets"/>, each with at most
/// <see cref="SmartApiOptions.MaxTokensPerSocket"/> subscriptions), subscribes in the request's
/// mode and returns one connection over all of them. It never reconnects by itself.
/// </summary>
public sealed class SmartApiStreamingSource : IStreamingSource
{
    private readonly SmartApiOptions _options;
    private readonly Func<SmartApiCredentials> _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ISmartStreamConnector _connector;

    /// <summary>Creates the source.</summary>
    /// <param name="options">Validated here; throws <see cref="ArgumentException"/> naming each bad key.</param>
    /// <param name="credentials">
    /// Called on every connect so a refreshed JWT or feed token takes effect. Default: the
    /// credentials in <paramref name="options"/>.
    /// </param>
    /// <param name="timeProvider">Clock for heartbeats and timeouts. Default <see cref="TimeProvider.System"/>.</param>
    /// <param name="loggerFactory">Default <see cref="NullLoggerFactory.Instance"/>.</param>
    public SmartApiStreamingSource(
        SmartApiOptions options,
        Func<SmartApiCredentials>? credentials = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
        : this(options, credentials, timeProvider, loggerFactory, null)
    {
    }

    internal SmartApiStreamingSource(
        SmartApiOptions options,
        Func<SmartApiCredentials>? credentials,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory,
        ISmartStreamConnector? connector)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        _options = options;
        _credentials = credentials ?? (() => options.Credentials);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("FeedGuard.SmartApi.Stream");
        _connector = connector ?? new ClientWebSocketConnector(options, _time);
    }

    /// <inheritdoc />
    public string Name => "smartapi";

    /// <inheritdoc />
    /// <remarks>More than <c>MaxSockets × MaxTokensPerSocket</c> (3000) instruments, or an exchange SmartAPI does not serve.</remarks>
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
        var mode = SubscribeRequest.ToWireMode(request.Mode);
        Log.Connecting(_logger, shards.Length, _options.StreamUrl.Host, request.Instruments.Count, mode);

        var attempts = new Task<SmartStreamSocket>[shards.Length];
        for (var i = 0; i < shards.Length; i++)
        {
            attempts[i] = ConnectSocketAsync(i + 1, shards[i], credentials, request, observer, cancellationToken);
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
        var connection = new SmartStreamConnection(sockets);
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

    private SmartApiCredentials ReadCredentials()
    {
        SmartApiCredentials credentials;
        try
        {
            credentials = _credentials();
        }
        catch (Exception ex)
        {
            // The callback's message could quote a secret; the type is enough to act on.
            throw new FeedConnectionException(DisconnectReason.NetworkError, $"SmartAPI credentials callback failed: {ex.GetType().Name}.");
        }

        if (credentials is null || credentials.ClientCode.Length == 0 || credentials.FeedToken.Length == 0)
        {
            throw new FeedConnectionException(
                DisconnectReason.AuthRejected,
                $"SmartStream needs {SmartApiOptions.SectionName}:ClientCode and {SmartApiOptions.SectionName}:FeedToken; at least one is empty.");
        }

        return credentials;
    }

    private async Task<SmartStreamSocket> ConnectSocketAsync(
        int index,
        FeedGuard.Instruments.Instrument[] instruments,
        SmartApiCredentials credentials,
        StreamRequest request,
        IStreamObserver observer,
        CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        SmartStreamSocket? socket = null;
        try
        {
            var webSocket = await _connector.ConnectAsync(credentials, linked.Token).ConfigureAwait(false);
            socket = new SmartStreamSocket(index, webSocket, instruments, request, observer, _options, _time, _logger);
            await socket.SubscribeAsync(linked.Token).ConfigureAwait(false);
            Log.Subscribed(_logger, index, instruments.Length);
            return socket;
        }
        catch (FeedConnectionException ex)
        {
            Log.ConnectFailed(_logger, index, ex.Reason, ex.Message);
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            var seconds = _options.ConnectTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            var message = $"SmartStream socket {index} did not connect and subscribe within {seconds} s ({SmartApiOptions.SectionName}:ConnectTimeout).";
            Log.ConnectFailed(_logger, index, DisconnectReason.NetworkError, message);
            throw new FeedConnectionException(DisconnectReason.NetworkError, message);
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or IOException)
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            var message = $"SmartStream socket {index} failed while subscribing: {ex.GetType().Name}: {ex.Message}";
            Log.ConnectFailed(_logger, index, DisconnectReason.NetworkError, message);
            throw new FeedConnectionException(DisconnectReason.NetworkError, message, null, ex);
        }
        catch
        {
            await DisposeQuietlyAsync(socket).ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask DisposeQuietlyAsync(SmartStreamSocket? socket)
    {
        if (socket is not null)
        {
            await socket.DisposeAsync().ConfigureAwait(false);
        }
    }
}
