namespace FeedGuard.Emulator.Faults;

/// <summary>
/// A fault to inject. Unset parameters take the documented defaults; parameters that do not
/// apply to the kind are ignored.
/// </summary>
public sealed record FaultSpec
{
    /// <summary>Creates a fault of the given kind.</summary>
    /// <param name="kind">What fails.</param>
    public FaultSpec(FaultKind kind) => Kind = kind;

    /// <summary>What fails.</summary>
    public FaultKind Kind { get; init; }

    /// <summary>
    /// How long the fault lasts; null = until cleared. For <see cref="FaultKind.Drop"/> and
    /// <see cref="FaultKind.ServerClose"/>, null means a one-shot action on the sockets open now
    /// (nothing stays active); a duration also rejects reconnects for that long.
    /// </summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Fraction of tick packets affected by <see cref="FaultKind.Malformed"/> and <see cref="FaultKind.Truncated"/>, 0–1. Default 1.</summary>
    public double Rate { get; init; } = 1.0;

    /// <summary>Period of <see cref="FaultKind.Flap"/> drops. Default 5 s.</summary>
    public TimeSpan? Interval { get; init; }

    /// <summary>Added latency of <see cref="FaultKind.RestSlow"/>. Default 5 s.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>HTTP status of <see cref="FaultKind.RestError"/>, 500–599. Default 500.</summary>
    public int? StatusCode { get; init; }

    /// <summary>
    /// Reason for <see cref="FaultKind.AuthReject"/> (sent as <c>x-error-message</c>; default
    /// "Invalid Header - Invalid Auth token") or close description for <see cref="FaultKind.ServerClose"/>.
    /// </summary>
    public string? Message { get; init; }

    /// <summary>Limits the fault to one broker endpoint (<see cref="EmulatorBrokers"/>); null = every broker.</summary>
    public string? Broker { get; init; }

    /// <summary>Checks the parameters; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Unknown fault kind {(int)Kind}.", nameof(Kind));
        }

        if (Duration is { } d && d <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Fault duration must be positive; got {d}.", nameof(Duration));
        }

        if (Rate is < 0 or > 1 || double.IsNaN(Rate))
        {
            throw new ArgumentException($"Fault rate must be between 0 and 1; got {Rate}.", nameof(Rate));
        }

        if (Interval is { } i && i <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Flap interval must be positive; got {i}.", nameof(Interval));
        }

        if (Delay is { } delay && delay < TimeSpan.Zero)
        {
            throw new ArgumentException($"REST delay must not be negative; got {delay}.", nameof(Delay));
        }

        if (StatusCode is { } code && code is < 500 or > 599)
        {
            throw new ArgumentException($"REST error status must be 500–599; got {code}.", nameof(StatusCode));
        }
    }
}
