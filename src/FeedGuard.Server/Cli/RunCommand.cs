using System.CommandLine;
using System.Net.Sockets;
using FeedGuard.Hosting;
using FeedGuard.Ticks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FeedGuard.Server.Cli;

/// <summary><c>feedguard run</c>: the gateway with dashboard, API, health and metrics, until Ctrl+C or SIGTERM.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter error)
    {
        var command = new Command("run", "Run the gateway (the default). With no broker credentials it runs in demo mode against the built-in emulator.");
        Configure(command, error);
        return command;
    }

    /// <summary>Adds run's options and action to <paramref name="command"/> (the root command runs too).</summary>
    public static void Configure(Command command, TextWriter error)
    {
        var broker = new Option<string?>("--broker") { Description = "Emulator, SmartApi or Kite (default: SmartApi when FeedGuard:SmartApi:ApiKey is set, Kite when FeedGuard:Kite:ApiKey is, else Emulator). Kite without credentials runs the Kite client against the built-in emulator (demo)." };
        broker.Validators.Add(r => OneOf(r, "--broker", Enum.GetNames<FeedGuardBroker>()));
        var instruments = new Option<string?>("--instruments") { Description = "Comma-separated EXCHANGE:TOKEN[:SYMBOL], e.g. NSE:3045:SBIN,NSE:2885 (Kite needs the symbol: NSE:408065:INFY)." };
        var feedMode = new Option<string?>("--feed-mode") { Description = "Ltp, Quote or Full (default Ltp)." };
        feedMode.Validators.Add(r => OneOf(r, "--feed-mode", Enum.GetNames<FeedMode>()));
        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {RunSettings.DefaultUrls})." };
        var noDashboard = new Option<bool>("--no-dashboard") { Description = "Serve the API without the web dashboard." };
        var allowSimulation = new Option<bool>("--allow-simulation") { Description = "Allow simulated ticks when neither stream nor polling works (never real data)." };
        var jsonl = new Option<bool>("--jsonl") { Description = "Write every tick, status change and event to stdout as JSON lines; logs go to stderr." };
        var nats = new Option<string?>("--nats") { Description = "Also publish every tick to this NATS JetStream server, e.g. nats://127.0.0.1:4222 (FeedGuard:Nats:Url; off by default)." };
        foreach (var option in new Option[] { broker, instruments, feedMode, urls, noDashboard, allowSimulation, jsonl, nats })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => RunAsync(
            new RunSettings
            {
                Broker = parse.GetValue(broker),
                Instruments = parse.GetValue(instruments),
                FeedMode = parse.GetValue(feedMode),
                Urls = parse.GetValue(urls),
                NoDashboard = parse.GetValue(noDashboard),
                AllowSimulation = parse.GetValue(allowSimulation),
                Jsonl = parse.GetValue(jsonl),
                Nats = parse.GetValue(nats),
            },
            error,
            cancellationToken));
    }

    public static async Task<int> RunAsync(RunSettings settings, TextWriter error, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = GatewayHost.Build(settings);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            await error.WriteLineAsync($"feedguard: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                // Validate before starting, so a configuration mistake is one line, not a host failure log.
                _ = app.Services.GetRequiredService<IOptions<FeedGuardOptions>>().Value;
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (StartupError(ex) is { } message)
            {
                await error.WriteLineAsync($"feedguard: {message}").ConfigureAwait(false);
                return ex is IOException ? ExitCodes.Failure : ExitCodes.Usage;
            }

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FeedGuard.Server");
            var listening = string.Join(", ", addresses);
            var dashboard = settings.NoDashboard ? "off" : string.Join(", ", addresses.Select(a => a.TrimEnd('/') + "/"));
            Log.Listening(logger, listening, dashboard);

            // Ctrl+C and SIGTERM stop the host (status stopped, sockets closed) and land here.
            await app.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>A one-line message for a start failure the user can fix, or null for a bug.</summary>
    internal static string? StartupError(Exception ex) => ex switch
    {
        OptionsValidationException options => "invalid configuration: " + string.Join(" ", options.Failures),
        AggregateException aggregate when aggregate.InnerExceptions.All(e => StartupError(e) is not null) =>
            string.Join(" ", aggregate.InnerExceptions.Select(StartupError)),
        ArgumentException argument => "invalid configuration: " + argument.Message,
        IOException io when io.InnerException is SocketException || io.Message.Contains("address", StringComparison.OrdinalIgnoreCase) => "cannot listen: " + io.Message,
        _ => null,
    };

    private static void OneOf(System.CommandLine.Parsing.OptionResult result, string name, string[] allowed)
    {
        var value = result.GetValueOrDefault<string?>();
        if (value is not null && !allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            result.AddError($"{name} must be one of {string.Join(", ", allowed)} (got '{value}').");
        }
    }
}
