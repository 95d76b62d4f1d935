namespace FeedGuard.Emulator.Faults;

/// <summary>
/// The failures the emulator can inject. Names in the HTTP API and scenario files are the
/// kebab-case forms shown here (case-insensitive; the enum names are accepted too).
/// </summary>
public enum FaultKind
{
    /// <summary><c>drop</c>: abort every open socket with a TCP reset and no close frame. While active, new handshakes are reset too.</summary>
    Drop,

    /// <summary><c>server-close</c>: send a close frame on every open socket. While active, new sockets are closed right after the upgrade.</summary>
    ServerClose,

    /// <summary><c>stall</c>: sockets stay open but nothing is sent and nothing is read: no ticks, no text <c>pong</c>, no control PONG.</summary>
    Stall,

    /// <summary><c>mute</c>: ticks stop; text and control pongs continue.</summary>
    MuteData,

    /// <summary><c>malformed</c>: a fraction (<see cref="FaultSpec.Rate"/>) of tick packets is replaced by a wrong mode byte or garbage of the same length.</summary>
    Malformed,

    /// <summary><c>truncated</c>: a fraction (<see cref="FaultSpec.Rate"/>) of tick packets is cut short.</summary>
    Truncated,

    /// <summary><c>auth-reject</c>: handshakes get HTTP 401 with <c>x-error-message</c>; REST gets the invalid-token envelope.</summary>
    AuthReject,

    /// <summary><c>rate-limit</c>: handshakes get HTTP 429; REST gets HTTP 403 "Access denied because of exceeding access rate".</summary>
    RateLimit,

    /// <summary><c>rest-error</c>: REST answers <see cref="FaultSpec.StatusCode"/> (default 500) with a plain-text body.</summary>
    RestError,

    /// <summary><c>rest-slow</c>: REST answers after <see cref="FaultSpec.Delay"/> (default 5 s).</summary>
    RestSlow,

    /// <summary><c>flap</c>: drop every open socket every <see cref="FaultSpec.Interval"/> (default 5 s); reconnects succeed in between.</summary>
    Flap,
}
