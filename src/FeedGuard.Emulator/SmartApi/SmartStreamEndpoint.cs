using System.Collections.Concurrent;
using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace FeedGuard.Emulator.SmartApi;

/// <summary>The <c>/smart-stream</c> handshake: faults, credential checks and the per-client-code socket limit (protocols §1.1, §1.2, §4.1).</summary>
internal sealed class SmartStreamEndpoint
{
    public const string Path = "/smart-stream";
    public const string InvalidAuthToken = "Invalid Header - Invalid Auth token";
    public const string InvalidClientCode = "Invalid Header - Invalid Client Code";
    public const string InvalidApiKey = "Invalid Header - Invalid API Key";
    public const string InvalidFeedToken = "Invalid Header - Invalid Feed Token";

    private readonly EmulatorRuntime _runtime;
    private readonly ConcurrentDictionary<string, int> _socketsPerClient = new(StringComparer.Ordinal);

    public SmartStreamEndpoint(EmulatorRuntime runtime) => _runtime = runtime;

    public async Task HandleAsync(HttpContext context)
    {
        if (!RawWebSocket.IsUpgradeRequest(context))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var faults = _runtime.Faults;
        if (faults.IsActive(FaultKind.Drop, EmulatorBrokers.SmartApi))
        {
            _runtime.Counters.HandshakeRejected();
            RawWebSocket.Reset(context);
            return;
        }

        if (faults.Find(FaultKind.AuthReject, EmulatorBrokers.SmartApi) is { } authFault)
        {
            Reject(context, StatusCodes.Status401Unauthorized, authFault.Message ?? InvalidAuthToken);
            return;
        }

        if (faults.IsActive(FaultKind.RateLimit, EmulatorBrokers.SmartApi))
        {
            Reject(context, StatusCodes.Status429TooManyRequests, null);
            return;
        }

        var credentials = Check(context.Request, out var clientCode);
        if (credentials is not null)
        {
            Reject(context, StatusCodes.Status401Unauthorized, credentials);
            return;
        }

        if (!TryReserve(clientCode))
        {
            Reject(context, StatusCodes.Status429TooManyRequests, null);
            return;
        }

        try
        {
            var socket = await RawWebSocket.AcceptAsync(context, faults, EmulatorBrokers.SmartApi).ConfigureAwait(false);
            var session = new SmartStreamSession(_runtime.Connections.NextId(), context, socket, _runtime);
            if (faults.IsActive(FaultKind.Drop, EmulatorBrokers.SmartApi))
            {
                session.Drop();
            }
            else if (faults.Find(FaultKind.ServerClose, EmulatorBrokers.SmartApi) is { } close)
            {
                session.Close(close.Message);
            }

            await session.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            Release(clientCode);
        }
    }

    /// <summary>Returns the documented 401 reason, or null when the credentials pass.</summary>
    private string? Check(HttpRequest request, out string clientCode)
    {
        var options = _runtime.Options.SmartApi;
        var headers = request.Headers;
        var query = request.Query;
        clientCode = FirstNonEmpty(headers["x-client-code"], query["clientCode"]);
        var feedToken = FirstNonEmpty(headers["x-feed-token"], query["feedToken"]);
        var apiKey = FirstNonEmpty(headers["x-api-key"], query["apiKey"]);
        var authorization = headers.Authorization.ToString();
        var jwt = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : authorization.Trim();

        if (options.AuthMode == SmartApiAuthMode.Strict)
        {
            // The browser form (query parameters) has no JWT; everything else needs one.
            var browserForm = authorization.Length == 0 && query.ContainsKey("clientCode");
            if (!browserForm && !string.Equals(jwt, options.JwtToken, StringComparison.Ordinal))
            {
                return InvalidAuthToken;
            }

            if (!string.Equals(apiKey, options.ApiKey, StringComparison.Ordinal))
            {
                return InvalidApiKey;
            }
        }

        if (!string.Equals(clientCode, options.ClientCode, StringComparison.Ordinal))
        {
            return InvalidClientCode;
        }

        return string.Equals(feedToken, options.FeedToken, StringComparison.Ordinal) ? null : InvalidFeedToken;
    }

    private void Reject(HttpContext context, int statusCode, string? errorMessage)
    {
        _runtime.Counters.HandshakeRejected();
        Log.HandshakeRejected(_runtime.Logger, EmulatorBrokers.SmartApi, statusCode, errorMessage ?? "too many sockets");
        context.Response.StatusCode = statusCode;
        if (errorMessage is not null)
        {
            context.Response.Headers["x-error-message"] = errorMessage;
        }
    }

    private bool TryReserve(string clientCode)
    {
        var limit = _runtime.Options.SmartApi.MaxSocketsPerClientCode;
        while (true)
        {
            var current = _socketsPerClient.GetValueOrDefault(clientCode);
            if (current >= limit)
            {
                return false;
            }

            if (current == 0 ? _socketsPerClient.TryAdd(clientCode, 1) : _socketsPerClient.TryUpdate(clientCode, current + 1, current))
            {
                return true;
            }
        }
    }

    private void Release(string clientCode)
    {
        while (true)
        {
            var current = _socketsPerClient.GetValueOrDefault(clientCode);
            if (current <= 1 ? _socketsPerClient.TryRemove(new KeyValuePair<string, int>(clientCode, current)) : _socketsPerClient.TryUpdate(clientCode, current - 1, current))
            {
                return;
            }
        }
    }

    private static string FirstNonEmpty(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : b ?? "";
}
