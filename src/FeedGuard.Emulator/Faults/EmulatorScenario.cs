using System.Text.Json;

namespace FeedGuard.Emulator.Faults;

/// <summary>
/// A chaos drill: a timeline of faults. File format (JSON):
/// <code>
/// {"name":"morning drill","steps":[
///   {"atSeconds":2,"kind":"stall","durationSeconds":10},
///   {"atSeconds":20,"kind":"flap","intervalSeconds":3,"durationSeconds":12},
///   {"atSeconds":40,"kind":"clear"}]}
/// </code>
/// Each step carries the fields of a fault (see <c>POST /emulator/faults</c>) plus
/// <c>atSeconds</c>; kind <c>clear</c> clears every fault. Steps run in time order.
/// </summary>
/// <param name="Name">Optional name, for logs.</param>
/// <param name="Steps">The steps; sorted by <see cref="ScenarioStep.At"/> when played.</param>
public sealed record EmulatorScenario(string? Name, IReadOnlyList<ScenarioStep> Steps)
{
    /// <summary>Parses a scenario from JSON text.</summary>
    /// <param name="json">The scenario document.</param>
    /// <exception cref="FormatException">The document is not a valid scenario; the message names the step and field.</exception>
    public static EmulatorScenario Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The scenario is not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("steps", out var steps) || steps.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("A scenario is an object with a \"steps\" array.");
            }

            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            var list = new List<ScenarioStep>();
            var index = 0;
            foreach (var step in steps.EnumerateArray())
            {
                try
                {
                    if (step.ValueKind != JsonValueKind.Object || !step.TryGetProperty("atSeconds", out var at) || at.ValueKind != JsonValueKind.Number || at.GetDouble() < 0)
                    {
                        throw new FormatException("\"atSeconds\" must be a number ≥ 0.");
                    }

                    var isClear = step.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String
                        && string.Equals(kind.GetString(), "clear", StringComparison.OrdinalIgnoreCase);
                    list.Add(new ScenarioStep(TimeSpan.FromSeconds(at.GetDouble()), isClear ? null : FaultJson.Parse(step)));
                }
                catch (FormatException ex)
                {
                    throw new FormatException($"Scenario step {index}: {ex.Message}", ex);
                }

                index++;
            }

            return new EmulatorScenario(name, list);
        }
    }

    /// <summary>Reads and parses a scenario file.</summary>
    /// <param name="path">Path of the JSON file.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<EmulatorScenario> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text);
    }
}
