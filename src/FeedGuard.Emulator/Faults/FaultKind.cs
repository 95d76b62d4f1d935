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

    /// <summary><c>stall</c>: sockets stay open but nothing is sent and nothing is read: no ticks, no text <c>pong</c>, no Kite heartbeat, no control PONG.</summary>
    Stall,

    /// <summary><c>mute</c>: ticks stop; text and control pongs and Kite heartbeats continue.</summary>
    MuteData,

    /// <summary><c>malformed</c>: a fraction (<see cref="FaultSpec.Rate"/>) of tick packets is replaced by a wrong mode byte or garbage of the same length (Kite: of frames, by garbage claiming 65535 packets or by packets of lengths no layout has).</summary>
    Malformed,

    /// <summary><c>truncated</c>: a fraction (<see cref="FaultSpec.Rate"/>) of tick packets (Kite: frames) is cut short.</summary>
    Truncated,

    /// <summary><c>auth-reject</c>: handshakes get HTTP 401 with <c>x-error-message</c> (Kite: 403); REST gets the invalid-token envelope (Kite: 403 TokenException).</summary>
    AuthReject,

    /// <summary><c>rate-limit</c>: handshakes get HTTP 429; REST gets HTTP 403 "Access denied because of exceeding access rate" (Kite: 429 NetworkException).</summary>
    RateLimit,

    /// <summary><c>rest-error</c>: REST answers <see cref="FaultSpec.StatusCode"/> (default 500) with a plain-text body (Kite: the error envelope, GeneralException for 500, else NetworkException).</summary>
    RestError,

    /// <summary><c>rest-slow</c>: REST answers after <see cref="FaultSpec.Delay"/> (default 5 s).</summary>
    RestSlow,

    /// <summary><c>flap</c>: drop every open socket every <see cref="FaultSpec.Interval"/> (default 5 s); reconnects succeed in between.</summary>
    Flap,
}
