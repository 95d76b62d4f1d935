namespace FeedGuard.Emulator.Faults;

/// <summary>A fault currently in force.</summary>
/// <param name="Id">Id to clear it with (<see cref="FaultController.Clear(long)"/>, <c>DELETE /emulator/faults/{id}</c>).</param>
/// <param name="Spec">What was injected.</param>
/// <param name="StartedAt">When it was injected (the emulator's clock).</param>
/// <param name="ExpiresAt">When it ends by itself; null = until cleared.</param>
public sealed record ActiveFault(long Id, FaultSpec Spec, DateTimeOffset StartedAt, DateTimeOffset? ExpiresAt);
