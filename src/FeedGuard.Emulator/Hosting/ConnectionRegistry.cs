using System.Collections.Concurrent;
using FeedGuard.Emulator.Faults;

namespace FeedGuard.Emulator.Hosting;

/// <summary>All open broker sockets, so faults and shutdown can reach them.</summary>
internal sealed class ConnectionRegistry : IFaultActions
{
    private readonly ConcurrentDictionary<long, IEmulatorConnection> _open = new();
    private long _nextId;

    public long NextId() => Interlocked.Increment(ref _nextId);

    public void Add(IEmulatorConnection connection) => _open[connection.Id] = connection;

    public void Remove(IEmulatorConnection connection) => _open.TryRemove(connection.Id, out _);

    /// <summary>The open sockets of one broker, as of now.</summary>
    public IEnumerable<IEmulatorConnection> OfBroker(string broker) => _open.Values.Where(c => Matches(c, broker));

    public void DropAll(string? broker)
    {
        foreach (var c in _open.Values)
        {
            if (Matches(c, broker))
            {
                c.Drop();
            }
        }
    }

    public void CloseAll(string? broker, string? message)
    {
        foreach (var c in _open.Values)
        {
            if (Matches(c, broker))
            {
                c.Close(message);
            }
        }
    }

    private static bool Matches(IEmulatorConnection c, string? broker) =>
        broker is null || string.Equals(c.Broker, broker, StringComparison.OrdinalIgnoreCase);
}
