using FeedGuard.Sources;
using FeedGuard.Sources.Sockets;
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
    private readonly IWebSocketConnector<SmartApiCredentials> _connector;
    private readonly ShardConnector _shards;

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
        IWebSocketConnector<SmartApiCredentials>? connector)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        _options = options;
        _credentials = credentials ?? (() => options.Credentials);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("FeedGuard.SmartApi.Stream");
        _connector = connector ?? new ClientWebSocketConnector(options, _time);
        _shards = new ShardConnector(
            "SmartStream",
            options.ConnectTimeout,
            $"{SmartApiOptions.SectionName}:ConnectTimeout",
            _time,
            (socket, reason, message) => Log.ConnectFailed(_logger, socket, reason, message));
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

        var sockets = await _shards.ConnectAllAsync(
            shards.Length,
            async (index, ct) =>
            {
                var webSocket = await _connector.ConnectAsync(credentials, ct).ConfigureAwait(false);
                return new SmartStreamSocket(index, webSocket, shards[index - 1], request, observer, _options, _time, _logger);
            },
            async (socket, ct) =>
            {
                await socket.SubscribeAsync(ct).ConfigureAwait(false);
                Log.Subscribed(_logger, socket.Index, socket.Instruments.Length);
            },
            ex => $"{ex.GetType().Name}: {ex.Message}",
            cancellationToken).ConfigureAwait(false);

        var connection = new ShardedStreamConnection(sockets);
        foreach (var socket in sockets)
        {
            socket.Start();
        }

        return connection;
    }

    private SmartApiCredentials ReadCredentials() => CredentialsCallback.Read(
        _credentials,
        "SmartAPI",
        c => c.ClientCode.Length > 0 && c.FeedToken.Length > 0,
        $"SmartStream needs {SmartApiOptions.SectionName}:ClientCode and {SmartApiOptions.SectionName}:FeedToken; at least one is empty.");
}
