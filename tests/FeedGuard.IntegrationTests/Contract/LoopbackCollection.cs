namespace FeedGuard.IntegrationTests.Contract;

/// <summary>
/// The SmartAPI rig tests run one at a time: each drives real timers of 0.5–2 s, and a dozen rigs
/// sharing two cores delay the client's receive loop past its 1 s pong deadline, which is a
/// failover the test did not inject.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LoopbackCollection
{
    public const string Name = "SmartAPI loopback rig";
}
