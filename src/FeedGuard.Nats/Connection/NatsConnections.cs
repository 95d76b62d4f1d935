using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace FeedGuard.Nats.Connection;

/// <summary>Builds the NATS client's options from <see cref="NatsConnectionSettings"/>: one home for auth, TLS and reconnect behaviour.</summary>
internal static class NatsConnections
{
    public static NatsConnection Create(NatsConnectionSettings settings, string name, ILoggerFactory loggerFactory)
    {
        var auth = NatsAuthOpts.Default with
        {
            CredsFile = settings.CredsFile,
            Username = settings.User,
            Password = settings.Password,
            Token = settings.Token,
        };
        var tls = NatsTlsOpts.Default with
        {
            Mode = settings.RequireTls ? TlsMode.Require : TlsMode.Auto,
            CaFile = settings.TlsCaFile,
        };
        return new NatsConnection(NatsOpts.Default with
        {
            Url = settings.Url.GetLeftPart(UriPartial.Authority),
            Name = name,
            AuthOpts = auth,
            TlsOpts = tls,
            LoggerFactory = loggerFactory,

            // The gateway must start (and keep serving in-process consumers) while NATS is down, and
            // keep trying for as long as it runs: an outage is reported, never fatal.
            RetryOnInitialConnect = true,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(250),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
        });
    }
}
