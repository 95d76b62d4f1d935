using FeedGuard.IntegrationTests.Contract;
using Xunit.Abstractions;

namespace FeedGuard.IntegrationTests.SmartApi;

/// <summary>The broker contract, passed by the real SmartAPI sources against the emulator's SmartStream and REST endpoints.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class SmartApiContractTests(ITestOutputHelper output) : BrokerContractTests(new SmartApiBroker(), output);
