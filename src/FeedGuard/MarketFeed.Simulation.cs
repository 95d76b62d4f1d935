using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Sources;
using FeedGuard.Ticks;

namespace FeedGuard;

// The simulation tier: only when the options allow it, loudly, and never mixed with real ticks
// (the ingest path stops accepting simulated ticks the moment a real tier takes over).
public sealed partial class MarketFeed
{
    private ITimer? _simulationTimer;

    private void EnterSimulation(DisconnectReason reason, string detail)
    {
        if (!_options.AllowSimulation)
        {
            throw new InvalidOperationException("Simulation is not allowed by the options.");
        }

        if (_simulationTimer is null)
        {
            _simulator.Reset();
            _ingest.SetAccepted(_connectionObserver ?? _attemptObserver, poll: _pollTimer is not null, simulated: true);
            _simulationTimer = _time.CreateTimer(_ => Post(HandleSimulationDue), null, TimeSpan.Zero, _options.SimulationInterval);
            Log.SimulationStarted(_logger, Name);
        }

        Transition(FeedState.Simulation, reason, detail);
    }

    private void StopSimulation()
    {
        if (_simulationTimer is null)
        {
            return;
        }

        _simulationTimer.Dispose();
        _simulationTimer = null;
        _ingest.SetAccepted(_connectionObserver ?? _attemptObserver, poll: _pollTimer is not null, simulated: false);
    }

    private void HandleSimulationDue()
    {
        if (_simulationTimer is null || _state != FeedState.Simulation)
        {
            return;
        }

        var ticks = new Tick[Instruments.Count];
        var count = _simulator.Step(LastRealTick, _time.GetUtcNow(), ticks);
        if (count > 0)
        {
            _coverage |= GapCoverage.Simulated;
            Track(_ingest.IngestAsync(ticks.AsMemory(0, count), TickSource.Simulated, null, _time.GetTimestamp(), _lifetime.Token).AsTask());
        }
    }

    // Each simulation period restarts from real prices, so simulated drift never compounds.
    private Tick? LastRealTick(Instruments.Instrument instrument) =>
        _books[instrument.Id].TryGetLatestReal(out var tick) ? tick : null;
}
