using System.CommandLine;
using System.Runtime.InteropServices;
using FeedGuard.Emulator;
using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.SmartApi;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Server.Cli;

/// <summary><c>feedguard emulate</c>: the broker emulator alone, for testing one's own clients and chaos drills.</summary>
internal static class EmulateCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5090";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var urls = new Option<string>("--urls") { Description = $"Where to listen; loopback only (default {DefaultUrls}).", DefaultValueFactory = _ => DefaultUrls };
        var seed = new Option<int>("--seed") { Description = "Seed of the market: the same seed gives the same prices (default 1).", DefaultValueFactory = _ => 1 };
        var scenario = new Option<FileInfo?>("--scenario") { Description = "A chaos drill to play: JSON {\"steps\":[{\"atSeconds\":5,\"kind\":\"stall\",\"durationSeconds\":10}, …]}." };
        var command = new Command("emulate", "Run the broker emulator alone (SmartStream WebSocket, REST quotes, fault API) until Ctrl+C.");
        command.Options.Add(urls);
        command.Options.Add(seed);
        command.Options.Add(scenario);
        command.SetAction((parse, _) => RunAsync(parse.GetValue(urls)!, parse.GetValue(seed), parse.GetValue(scenario), output, error));
        return command;
    }

    private static async Task<int> RunAsync(string urls, int seed, FileInfo? scenarioFile, TextWriter output, TextWriter error)
    {
        EmulatorScenario? scenario = null;
        if (scenarioFile is not null)
        {
            try
            {
                scenario = await EmulatorScenario.LoadAsync(scenarioFile.FullName, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"feedguard: --scenario {scenarioFile}: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }
        }

        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        }).AddFilter("Microsoft", LogLevel.Warning));
        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        BrokerEmulator emulator;
        try
        {
            emulator = await BrokerEmulator.StartAsync(new EmulatorOptions { Urls = urls, Seed = seed, LoggerFactory = loggers }, stop.Token).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"feedguard: --urls: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"feedguard: cannot listen on {urls}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await using (emulator.ConfigureAwait(false))
        {
            var credentials = new SmartApiEmulatorOptions();
            await output.WriteLineAsync($$"""
                Broker emulator on {{emulator.BaseUrl}} (seed {{seed}}); Ctrl+C stops it.
                  SmartStream   {{emulator.SmartStreamUrl}}
                  REST root     {{emulator.SmartApiRestUrl}}
                  Faults API    {{emulator.BaseUrl}}emulator/faults  (POST {"kind":"stall","durationSeconds":10}, DELETE clears)
                  Credentials   api key {{credentials.ApiKey}}, client code {{credentials.ClientCode}}, JWT {{credentials.JwtToken}}, feed token {{credentials.FeedToken}} (demo values)
                  Gateway       feedguard run --broker Emulator  with  FeedGuard__Emulator__Url={{emulator.BaseUrl}}
                """).ConfigureAwait(false);
            await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);

            var drill = scenario is null ? Task.CompletedTask : PlayAsync(emulator, scenario, output, stop.Token);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await drill.ConfigureAwait(false);
        }

        return ExitCodes.Ok;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static async Task PlayAsync(BrokerEmulator emulator, EmulatorScenario scenario, TextWriter output, CancellationToken cancellationToken)
    {
        try
        {
            await output.WriteLineAsync($"Playing scenario '{scenario.Name ?? "scenario"}' ({scenario.Steps.Count} steps).").ConfigureAwait(false);
            await emulator.PlayScenarioAsync(scenario, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync("Scenario finished; the emulator keeps running until Ctrl+C.").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
