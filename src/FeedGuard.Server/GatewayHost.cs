using FeedGuard.Hosting.Telemetry;
using FeedGuard.Server.Api;
using FeedGuard.Server.Jsonl;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;

namespace FeedGuard.Server;

/// <summary>Builds the gateway web app: configuration, FeedGuard, the API, health, metrics and the dashboard.</summary>
internal static class GatewayHost
{
    public static WebApplication Build(RunSettings settings)
    {
        var contentRoot = AppContext.BaseDirectory;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = contentRoot,
            WebRootPath = Path.Combine(contentRoot, "wwwroot"),
            ApplicationName = typeof(GatewayHost).Assembly.GetName().Name,
        });

        ConfigureConfiguration(builder, settings, out var demoChosen, out var defaultInstruments);
        builder.WebHost.UseUrls(settings.Urls ?? RunSettings.DefaultUrls);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        if (settings.Jsonl)
        {
            // stdout carries only JSON lines.
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));

        // Registered before AddFeedGuard: hosted services stop in reverse order, so these see the feed stop.
        if (settings.Jsonl)
        {
            builder.Services.AddHostedService<JsonLinesWriter>();
        }

        builder.Services.AddSingleton<PriceBaselines>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PriceBaselines>());
        builder.Services.AddSingleton<EmulatorFaultEndpoints>();
        builder.Services.AddFeedGuard(builder.Configuration);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter([.. FeedGuardMeters.All]).AddPrometheusExporter());

        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FeedGuard.Server");
        if (demoChosen)
        {
            Log.DemoModeChosen(logger);
        }

        if (defaultInstruments)
        {
            Log.DefaultInstruments(logger, app.Configuration["FeedGuard:Instruments"] ?? "");
        }

        if (!settings.NoDashboard)
        {
            app.UseDefaultFiles();
            app.UseStaticFiles();
        }

        ApiEndpoints.Map(app);
        StreamEndpoint.Map(app);
        EmulatorFaultEndpoints.Map(app);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthJson.WriteAsync });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static void ConfigureConfiguration(WebApplicationBuilder builder, RunSettings settings, out bool demoChosen, out bool defaultInstruments)
    {
        // One documented order, lowest first: appsettings.json, appsettings.{Environment}.json, user
        // secrets (in every environment: that is where a developer keeps broker credentials),
        // environment variables, command-line options.
        var configuration = builder.Configuration;
        configuration.Sources.Clear();
        if (!settings.IsolatedConfiguration)
        {
            configuration
                .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
                .AddJsonFile($"appsettings.{builder.Environment.EnvironmentName}.json", optional: true, reloadOnChange: false)
                .AddUserSecrets(typeof(GatewayHost).Assembly, optional: true, reloadOnChange: false)
                .AddEnvironmentVariables();
        }

        var cli = new Dictionary<string, string?>();
        if (settings.Broker is not null)
        {
            cli["FeedGuard:Broker"] = settings.Broker;
        }

        if (settings.Instruments is not null)
        {
            cli["FeedGuard:Instruments"] = settings.Instruments;
        }

        if (settings.FeedMode is not null)
        {
            cli["FeedGuard:FeedMode"] = settings.FeedMode;
        }

        if (settings.AllowSimulation)
        {
            cli["FeedGuard:AllowSimulation"] = "true";
        }

        if (settings.Nats is not null)
        {
            cli["FeedGuard:Nats:Url"] = settings.Nats;
        }

        configuration.AddInMemoryCollection(cli);
        configuration.AddInMemoryCollection(settings.Overrides);

        // What a fresh clone needs to run: the emulator when there are no credentials, and a few
        // instruments. Without a broker named, credentials choose it: SmartAPI's, then Kite's.
        bool Has(string key) => !string.IsNullOrWhiteSpace(configuration[key]);
        var defaults = new Dictionary<string, string?>();
        var broker = configuration["FeedGuard:Broker"];
        demoChosen = string.IsNullOrWhiteSpace(broker) && !Has("FeedGuard:SmartApi:ApiKey") && !Has("FeedGuard:Kite:ApiKey");
        if (string.IsNullOrWhiteSpace(broker))
        {
            broker = demoChosen ? "Emulator" : Has("FeedGuard:SmartApi:ApiKey") ? "SmartApi" : "Kite";
            defaults["FeedGuard:Broker"] = broker;
        }

        var kite = string.Equals(broker.Trim(), "Kite", StringComparison.OrdinalIgnoreCase);
        var demo = demoChosen || (kite && !Has("FeedGuard:Kite:ApiKey") && !Has("FeedGuard:Kite:AccessToken"));
        if (demo && string.IsNullOrWhiteSpace(configuration["FeedGuard:ReconnectCooldown"]))
        {
            defaults["FeedGuard:ReconnectCooldown"] = DemoDefaults.ReconnectCooldown;
        }

        var instruments = configuration.GetSection("FeedGuard:Instruments");
        defaultInstruments = string.IsNullOrWhiteSpace(instruments.Value) && !instruments.GetChildren().Any();
        if (defaultInstruments)
        {
            defaults["FeedGuard:Instruments"] = kite ? DemoDefaults.KiteInstruments : DemoDefaults.Instruments;
        }

        configuration.AddInMemoryCollection(defaults);
    }
}
