namespace FeedGuard.Emulator.Faults;

/// <summary>One step of a chaos drill: at <paramref name="At"/> after the drill starts, inject <paramref name="Fault"/>, or clear every fault when it is null.</summary>
/// <param name="At">Offset from the start of the drill.</param>
/// <param name="Fault">The fault to inject; null clears all active faults.</param>
public sealed record ScenarioStep(TimeSpan At, FaultSpec? Fault);
