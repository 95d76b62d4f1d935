namespace FeedGuard.Emulator.Hosting;

/// <summary>An open broker socket, as faults see it.</summary>
internal interface IEmulatorConnection
{
    long Id { get; }

    string Broker { get; }

    /// <summary>TCP reset, no close frame.</summary>
    void Drop();

    /// <summary>Close frame, then wait (bounded) for the client's close.</summary>
    void Close(string? description);
}
