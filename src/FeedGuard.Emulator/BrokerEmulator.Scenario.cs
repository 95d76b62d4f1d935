using System.Globalization;
using FeedGuard.Emulator.Faults;

namespace FeedGuard.Emulator;

/// <content>Chaos drills: playing a timeline of faults.</content>
public sealed partial class BrokerEmulator
{
    /// <summary>Loads a scenario file and plays it; see <see cref="PlayScenarioAsync(EmulatorScenario, CancellationToken)"/>.</summary>
    /// <param name="path">Path of the JSON scenario (format in <see cref="EmulatorScenario"/>).</param>
    /// <param name="cancellationToken">Stops the drill; faults already injected stay until they expire or are cleared.</param>
    public async Task PlayScenarioAsync(string path, CancellationToken cancellationToken)
    {
        var scenario = await EmulatorScenario.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        await PlayScenarioAsync(scenario, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Plays a drill on the emulator's clock: each step is injected at its offset from now.
    /// Completes after the last step has been applied (its fault may still be running).
    /// </summary>
    /// <param name="scenario">The drill.</param>
    /// <param name="cancellationToken">Stops the drill; faults already injected stay until they expire or are cleared.</param>
    public async Task PlayScenarioAsync(EmulatorScenario scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        foreach (var step in scenario.Steps)
        {
            step.Fault?.Validate();
        }

        var time = _runtime.Time;
        var start = time.GetTimestamp();
        var name = scenario.Name ?? "scenario";
        var index = 0;
        foreach (var step in scenario.Steps.OrderBy(s => s.At))
        {
            var wait = step.At - time.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (step.Fault is { } fault)
            {
                var injected = Faults.Inject(fault);
                var action = string.Create(CultureInfo.InvariantCulture, $"inject {fault.Kind} (fault {injected.Id})");
                Log.ScenarioStep(_runtime.Logger, name, index, step.At.TotalSeconds, action);
            }
            else
            {
                Faults.ClearAll();
                Log.ScenarioStep(_runtime.Logger, name, index, step.At.TotalSeconds, "clear all");
            }

            index++;
        }
    }
}
