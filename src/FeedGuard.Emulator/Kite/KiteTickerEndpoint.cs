using System.Collections.Concurrent;
using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace FeedGuard.Emulator.Kite;

/// <summary>
/// The Kite ticker handshake (protocols §2.1, §4.2): faults, <c>api_key</c>/<c>access_token</c>
/// query parameters (403 with a TokenException envelope when wrong) and at most
/// <see cref="KiteEmulatorOptions.MaxSocketsPerApiKey"/> sockets per key (429 beyond).
/// </summary>
internal sealed class KiteTickerEndpoint
{
    public const string Path = "/kite";

    private readonly EmulatorRuntime _runtime;
    private readonly ConcurrentDictionary<string, int> _socketsPerKey = new(StringComparer.Ordinal);

    public KiteTickerEndpoint(EmulatorRuntime runtime) => _runtime = runtime;

    public async Task HandleAsync(HttpContext context)
    {
        if (!RawWebSocket.IsUpgradeRequest(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var faults = _runtime.Faults;
        var options = _runtime.Options.Kite;
        if (faults.IsActive(FaultKind.Drop, EmulatorBrokers.Kite))
        {
            _runtime.Counters.HandshakeRejected();
            RawWebSocket.Reset(context);
            return;
        }

        if (faults.Find(FaultKind.AuthReject, EmulatorBrokers.Kite) is { } authFault)
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, authFault.Message ?? KiteErrors.InvalidCredentials, KiteErrors.TokenException).ConfigureAwait(false);
            return;
        }

        if (faults.IsActive(FaultKind.RateLimit, EmulatorBrokers.Kite))
        {
            await RejectAsync(context, StatusCodes.Status429TooManyRequests, KiteErrors.TooManyRequests, KiteErrors.NetworkException).ConfigureAwait(false);
            return;
        }

        var apiKey = context.Request.Query["api_key"].ToString();
        var accessToken = context.Request.Query["access_token"].ToString();
        if (!KiteRestEndpoint.CredentialsPass(options, apiKey, accessToken))
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, KiteErrors.InvalidCredentials, KiteErrors.TokenException).ConfigureAwait(false);
            return;
        }

        if (!TryReserve(apiKey, options.MaxSocketsPerApiKey))
        {
            await RejectAsync(context, StatusCodes.Status429TooManyRequests, KiteErrors.TooManyRequests, KiteErrors.NetworkException).ConfigureAwait(false);
            return;
        }

        try
        {
            var socket = await RawWebSocket.AcceptAsync(context, faults, EmulatorBrokers.Kite).ConfigureAwait(false);
            var session = new KiteTickerSession(_runtime.Connections.NextId(), context, socket, _runtime);
            if (faults.IsActive(FaultKind.Drop, EmulatorBrokers.Kite))
            {
                session.Drop();
            }
            else if (faults.Find(FaultKind.ServerClose, EmulatorBrokers.Kite) is { } close)
            {
                session.Close(close.Message);
            }

            await session.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            Release(apiKey);
        }
    }

    private Task RejectAsync(HttpContext context, int statusCode, string message, string errorType)
    {
        _runtime.Counters.HandshakeRejected();
        Log.HandshakeRejected(_runtime.Logger, EmulatorBrokers.Kite, statusCode, errorType);
        return KiteErrors.WriteAsync(context, statusCode, message, errorType);
    }

    private bool TryReserve(string apiKey, int limit)
    {
        while (true)
        {
            var current = _socketsPerKey.GetValueOrDefault(apiKey);
            if (current >= limit)
            {
                return false;
            }

            if (current == 0 ? _socketsPerKey.TryAdd(apiKey, 1) : _socketsPerKey.TryUpdate(apiKey, current + 1, current))
            {
                return true;
            }
        }
    }

    private void Release(string apiKey)
    {
        while (true)
        {
            var current = _socketsPerKey.GetValueOrDefault(apiKey);
            if (current <= 1 ? _socketsPerKey.TryRemove(new KeyValuePair<string, int>(apiKey, current)) : _socketsPerKey.TryUpdate(apiKey, current - 1, current))
            {
                return;
            }
        }
    }
}
