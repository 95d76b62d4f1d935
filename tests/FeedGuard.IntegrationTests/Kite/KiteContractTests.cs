using FeedGuard.IntegrationTests.Contract;
using Xunit.Abstractions;

namespace FeedGuard.IntegrationTests.Kite;

/// <summary>The broker contract, passed by the real Kite sources against the emulator's ticker and REST endpoints.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class KiteContractTests(ITestOutputHelper output) : BrokerContractTests(new KiteBroker(), output);
