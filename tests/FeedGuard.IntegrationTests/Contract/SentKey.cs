namespace FeedGuard.IntegrationTests.Contract;

/// <summary>
/// What identifies one update on the wire, for matching a received stream tick to a packet the
/// emulator logged: the broker's sequence number where the protocol carries one (0 where not), the
/// last price in the segment's units, and the exchange time at the protocol's resolution.
/// </summary>
internal readonly record struct SentKey(long Sequence, long Price, long ExchangeTimeMs);
