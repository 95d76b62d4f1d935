using FeedGuard.Emulator;
using FeedGuard.Emulator.Faults;
using Microsoft.Extensions.Time.Testing;

namespace FeedGuard.IntegrationTests.Emulator;

/// <summary>Chaos drills: a JSON timeline of faults played on the emulator's clock.</summary>
public sealed class EmulatorScenarioTests
{
    [Fact]
    public async Task PlayScenarioAsync_FromFile_InjectsThenClearsOnTime()
    {
        // The drill runs on the emulator's clock, here a fake one: on real time a loaded machine could
        // miss the 0.3 s the fault is in force (the test polls for it) and see it neither on nor off.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await Wire.StartAsync(new EmulatorOptions { Seed = 42, TicksPerSecond = 20, TimeProvider = clock });
        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, """
            {"name":"drill","steps":[
              {"atSeconds":0,"kind":"rate-limit"},
              {"atSeconds":0.3,"kind":"clear"}]}
            """);
        try
        {
            var play = emulator.PlayScenarioAsync(path, CancellationToken.None);
            await Wire.WaitUntilAsync(() => emulator.Faults.IsActive(FaultKind.RateLimit, EmulatorBrokers.SmartApi), "the first step injects");
            Assert.False(play.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(0.2));
            Assert.True(emulator.Faults.IsActive(FaultKind.RateLimit, EmulatorBrokers.SmartApi));

            // Past the clear step's time, in small steps: the drill may arm its wait only after an advance.
            await Wire.WaitUntilAsync(
                () =>
                {
                    clock.Advance(TimeSpan.FromMilliseconds(50));
                    return play.IsCompleted;
                },
                "the clear step runs");
            await play;

            Assert.Empty(emulator.Faults.Active);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_ReadsEveryFaultField()
    {
        var scenario = EmulatorScenario.Parse("""
            {"steps":[{"atSeconds":1.5,"kind":"flap","intervalSeconds":2,"durationSeconds":10,"broker":"smartapi"},
                      {"atSeconds":3,"kind":"rest-error","statusCode":502}]}
            """);

        Assert.Equal(2, scenario.Steps.Count);
        Assert.Equal(TimeSpan.FromSeconds(1.5), scenario.Steps[0].At);
        Assert.Equal(new FaultSpec(FaultKind.Flap) { Interval = TimeSpan.FromSeconds(2), Duration = TimeSpan.FromSeconds(10), Broker = "smartapi" }, scenario.Steps[0].Fault);
        Assert.Equal(502, scenario.Steps[1].Fault!.StatusCode);
    }

    [Theory]
    [InlineData("""{"steps":[{"kind":"stall"}]}""", "step 0")]
    [InlineData("""{"steps":[{"atSeconds":1,"kind":"stall"},{"atSeconds":2,"kind":"bogus"}]}""", "step 1")]
    [InlineData("""{"steps":[{"atSeconds":1,"kind":"malformed","rate":3}]}""", "rate")]
    public void Parse_InvalidStep_NamesTheStep(string json, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => EmulatorScenario.Parse(json));

        Assert.Contains(expected, ex.Message, StringComparison.OrdinalIgnoreCase);
    }
}
