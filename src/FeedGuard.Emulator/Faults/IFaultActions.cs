namespace FeedGuard.Emulator.Faults;

/// <summary>What a fault does to sockets that are already open.</summary>
internal interface IFaultActions
{
    /// <summary>Resets every open socket of the broker (null = all) without a close frame.</summary>
    void DropAll(string? broker);

    /// <summary>Sends a close frame on every open socket of the broker (null = all).</summary>
    void CloseAll(string? broker, string? message);
}
