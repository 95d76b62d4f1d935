using System.Globalization;
using FeedGuard.Health;
using FeedGuard.Instruments;
using FeedGuard.Kite;
using FeedGuard.Nats.Connection;
using FeedGuard.Nats.Publishing;
using FeedGuard.Reconnect;
using FeedGuard.SmartApi;
using Microsoft.Extensions.Configuration;

namespace FeedGuard.Hosting.Options;

/// <summary>
/// Turns the <c>FeedGuard</c> configuration section into <see cref="FeedGuardOptions"/> by hand
/// rather than with the reflection binder, so that every problem names its full key and the allowed
/// values, unknown keys (typos) are reported instead of ignored, and a bare number is never read as
/// days (<c>TimeSpan.Parse("30")</c> is thirty days).
/// </summary>
internal sealed class FeedGuardOptionsReader
{
    /// <summary>Every key the section understands, relative to <c>FeedGuard:</c> (case-insensitive).</summary>
    internal static readonly string[] KnownKeys =
    [
        "Broker", "Name", "Instruments", "FeedMode", "HeartbeatThreshold", "FrameTimeout", "PromoteWindow",
        "MaxReconnectAttempts", "ReconnectCooldown", "ReconnectBaseDelay", "PollInterval", "PollFailureThreshold",
        "AllowSimulation", "ConnectingGracePeriod", "Sessions:AlwaysOpen", "Sessions:Holidays",
        "SmartApi:StreamUrl", "SmartApi:RestUrl", "SmartApi:ApiKey", "SmartApi:ClientCode", "SmartApi:JwtToken", "SmartApi:FeedToken",
        "SmartApi:PingInterval", "SmartApi:PongTimeout",
        "Kite:StreamUrl", "Kite:RestUrl", "Kite:ApiKey", "Kite:AccessToken", "Kite:HeartbeatTimeout", "Kite:PollRequestsPerSecond",
        "Emulator:Url", "Emulator:Seed", "Emulator:TicksPerSecond",
        "Nats:Url", "Nats:Stream", "Nats:SubjectPrefix", "Nats:DuplicateWindow", "Nats:MaxAge", "Nats:MaxBytes",
        "Nats:BufferCapacity", "Nats:MaxInFlight", "Nats:AckTimeout",
        "Nats:CredsFile", "Nats:User", "Nats:Password", "Nats:Token", "Nats:RequireTls", "Nats:TlsCaFile",
    ];

    /// <summary>The keys of an instrument written as an object, <c>FeedGuard:Instruments:N:Exchange</c> and so on.</summary>
    private static readonly string[] InstrumentFields = ["Exchange", "Token", "Symbol"];

    private readonly IConfigurationSection _section;
    private readonly List<string> _problems = [];

    private FeedGuardOptionsReader(IConfigurationSection section) => _section = section;

    /// <summary>Reads the section; <paramref name="problems"/> lists every bad or unknown key.</summary>
    public static FeedGuardOptions Read(IConfiguration configuration, out IReadOnlyList<string> problems)
    {
        var reader = new FeedGuardOptionsReader(configuration.GetSection(FeedGuardOptions.SectionName));
        var options = reader.Read();
        problems = reader._problems;
        return options;
    }

    private FeedGuardOptions Read()
    {
        ReportUnknownKeys();
        var feedDefaults = new MarketFeedOptions();
        var reconnectDefaults = new ReconnectOptions();
        var smartDefaults = new SmartApiOptions();
        var kiteDefaults = new KiteOptions();
        var emulatorDefaults = new EmulatorSettings();

        var broker = ReadBroker();

        // Kite without credentials is Kite's demo mode, against the emulator like broker Emulator.
        var demo = broker == FeedGuardBroker.Emulator || (broker == FeedGuardBroker.Kite && Text("Kite:ApiKey") is null && Text("Kite:AccessToken") is null);
        var feed = feedDefaults with
        {
            Name = Text("Name") ?? "feedguard",
            Instruments = ReadInstruments(),
            FeedMode = Enum("FeedMode", feedDefaults.FeedMode),
            HeartbeatThreshold = Duration("HeartbeatThreshold", feedDefaults.HeartbeatThreshold),
            FrameTimeout = Duration("FrameTimeout", feedDefaults.FrameTimeout),
            PromoteWindow = Duration("PromoteWindow", feedDefaults.PromoteWindow, allowZero: true),
            PollInterval = Duration("PollInterval", feedDefaults.PollInterval),
            PollFailureThreshold = Integer("PollFailureThreshold", feedDefaults.PollFailureThreshold, min: 1),
            AllowSimulation = Boolean("AllowSimulation", feedDefaults.AllowSimulation),
            Reconnect = reconnectDefaults with
            {
                MaxAttempts = Integer("MaxReconnectAttempts", reconnectDefaults.MaxAttempts, min: 1),
                Cooldown = Duration("ReconnectCooldown", reconnectDefaults.Cooldown, allowZero: true),
                BaseDelay = Duration("ReconnectBaseDelay", reconnectDefaults.BaseDelay),
            },
            Sessions = new SessionCalendarOptions
            {
                // The emulator's market never closes; a real exchange's silence at night is normal.
                AlwaysOpen = Boolean("Sessions:AlwaysOpen", demo),
                Holidays = ReadHolidays(),
            },
        };

        // A MaxDelay below a configured BaseDelay would fail the core's check with a key the user never wrote.
        if (feed.Reconnect.MaxDelay < feed.Reconnect.BaseDelay)
        {
            feed = feed with { Reconnect = feed.Reconnect with { MaxDelay = feed.Reconnect.BaseDelay } };
        }

        var smartApi = smartDefaults with
        {
            StreamUrl = Url("SmartApi:StreamUrl", smartDefaults.StreamUrl, "ws", "wss"),
            RestUrl = Url("SmartApi:RestUrl", smartDefaults.RestUrl, "http", "https"),
            ApiKey = Text("SmartApi:ApiKey") ?? "",
            ClientCode = Text("SmartApi:ClientCode") ?? "",
            JwtToken = Text("SmartApi:JwtToken") ?? "",
            FeedToken = Text("SmartApi:FeedToken") ?? "",
            PingInterval = Duration("SmartApi:PingInterval", smartDefaults.PingInterval),
            PongTimeout = Duration("SmartApi:PongTimeout", smartDefaults.PongTimeout),
        };

        var kite = kiteDefaults with
        {
            StreamUrl = Url("Kite:StreamUrl", kiteDefaults.StreamUrl, "ws", "wss"),
            RestUrl = Url("Kite:RestUrl", kiteDefaults.RestUrl, "http", "https"),
            ApiKey = Text("Kite:ApiKey") ?? "",
            AccessToken = Text("Kite:AccessToken") ?? "",
            HeartbeatTimeout = Duration("Kite:HeartbeatTimeout", kiteDefaults.HeartbeatTimeout),
            PollRequestsPerSecond = Number("Kite:PollRequestsPerSecond", kiteDefaults.PollRequestsPerSecond, min: 0),
        };

        var emulatorUrl = Text("Emulator:Url") is null ? null : Url("Emulator:Url", null, "http", "https");
        var emulator = emulatorDefaults with
        {
            Url = emulatorUrl,
            Seed = Integer("Emulator:Seed", emulatorDefaults.Seed, min: int.MinValue),
            TicksPerSecond = Number("Emulator:TicksPerSecond", emulatorDefaults.TicksPerSecond, min: 0),
        };

        return new FeedGuardOptions
        {
            Broker = broker ?? 0,
            Feed = feed,
            ConnectingGracePeriod = Duration("ConnectingGracePeriod", TimeSpan.FromSeconds(30)),
            SmartApi = smartApi,
            Kite = kite,
            Emulator = emulator,
            Nats = ReadNats(),
        };
    }

    /// <summary>Off (null) unless <c>Nats:Url</c> is set; the other keys alone are a mistake worth naming.</summary>
    private NatsPublisherOptions? ReadNats()
    {
        var section = _section.GetSection("Nats");
        if (Text("Nats:Url") is null)
        {
            if (section.AsEnumerable().Any(p => p.Value is not null))
            {
                Problem("Nats:Url", "must be set (nats://host:port) when other FeedGuard:Nats keys are; publishing to NATS is off without it.");
            }

            return null;
        }

        var defaults = new NatsPublisherOptions();
        return defaults with
        {
            Connection = new NatsConnectionSettings
            {
                Url = Url("Nats:Url", defaults.Connection.Url, "nats", "tls"),
                CredsFile = Text("Nats:CredsFile"),
                User = Text("Nats:User"),
                Password = Text("Nats:Password"),
                Token = Text("Nats:Token"),
                RequireTls = Boolean("Nats:RequireTls", false),
                TlsCaFile = Text("Nats:TlsCaFile"),
            },
            Stream = Text("Nats:Stream") ?? defaults.Stream,
            SubjectPrefix = Text("Nats:SubjectPrefix") ?? defaults.SubjectPrefix,
            DuplicateWindow = Duration("Nats:DuplicateWindow", defaults.DuplicateWindow),
            MaxAge = Duration("Nats:MaxAge", defaults.MaxAge, allowZero: true),
            MaxBytes = Long("Nats:MaxBytes", defaults.MaxBytes, min: -1),
            BufferCapacity = Integer("Nats:BufferCapacity", defaults.BufferCapacity, min: 1),
            MaxInFlight = Integer("Nats:MaxInFlight", defaults.MaxInFlight, min: 1),
            AckTimeout = Duration("Nats:AckTimeout", defaults.AckTimeout),
        };
    }

    private static string Key(string relative) => $"{FeedGuardOptions.SectionName}:{relative}";

    private void Problem(string relative, string text) => _problems.Add($"{Key(relative)} {text}");

    private void ReportUnknownKeys()
    {
        var known = new HashSet<string>(KnownKeys, StringComparer.OrdinalIgnoreCase);
        var prefix = _section.Path.Length + 1;
        foreach (var (path, _) in _section.AsEnumerable(makePathsRelative: false))
        {
            if (path.Length <= prefix)
            {
                continue;
            }

            var relative = path[prefix..];

            // List entries (Instruments:0, Sessions:Holidays:1) belong to their list key.
            var listKey = relative.Contains(':', StringComparison.Ordinal) && int.TryParse(relative[(relative.LastIndexOf(':') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? relative[..relative.LastIndexOf(':')]
                : relative;
            var parentOfKnown = KnownKeys.Any(k => k.StartsWith(relative + ":", StringComparison.OrdinalIgnoreCase));
            if (!known.Contains(listKey) && !parentOfKnown && !IsInstrumentObjectKey(relative))
            {
                Problem(relative, "is not a known key; see the README's configuration table.");
            }
        }
    }

    /// <summary><c>Instruments:N</c> (an object entry) or <c>Instruments:N:Exchange|Token|Symbol</c>.</summary>
    private static bool IsInstrumentObjectKey(string relative)
    {
        var parts = relative.Split(':');
        return parts.Length is 2 or 3
            && parts[0].Equals("Instruments", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && (parts.Length == 2 || InstrumentFields.Contains(parts[2], StringComparer.OrdinalIgnoreCase));
    }

    private FeedGuardBroker? ReadBroker()
    {
        var text = Text("Broker");
        var allowed = string.Join(", ", System.Enum.GetNames<FeedGuardBroker>());
        if (text is null)
        {
            Problem("Broker", $"must be one of {allowed} (got nothing).");
            return null;
        }

        if (System.Enum.TryParse<FeedGuardBroker>(text, ignoreCase: true, out var broker) && System.Enum.IsDefined(broker) && !char.IsAsciiDigit(text[0]))
        {
            return broker;
        }

        Problem("Broker", $"must be one of {allowed} (got '{text}').");
        return null;
    }

    private List<InstrumentKey> ReadInstruments()
    {
        var section = _section.GetSection("Instruments");

        // One comma-separated value (environment variables, command lines) or a JSON array whose
        // entries are text ("NSE:408065:INFY") or objects ({ "Exchange": "NSE", "Token": "408065", "Symbol": "INFY" }).
        var entries = section.Value is { } single
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select((text, i) => (Key: "Instruments", Text: text))
            : section.GetChildren().Select(c => (Key: "Instruments:" + c.Key, Text: c.Value ?? InstrumentObjectText(c)));
        var keys = new List<InstrumentKey>();
        foreach (var (key, text) in entries)
        {
            if (InstrumentKey.TryParse(text, out var instrument, out var error))
            {
                keys.Add(instrument);
            }
            else
            {
                Problem(key, error);
            }
        }

        if (keys.Count == 0 && !_problems.Any(p => p.StartsWith(Key("Instruments"), StringComparison.Ordinal)))
        {
            Problem("Instruments", "must list at least one instrument written EXCHANGE:TOKEN[:SYMBOL], for example NSE:3045:SBIN (or, in JSON, { \"Exchange\": \"NSE\", \"Token\": \"408065\", \"Symbol\": \"INFY\" }).");
        }

        return keys;
    }

    /// <summary>An instrument written as an object, in the text form the parser reports problems against.</summary>
    private static string InstrumentObjectText(IConfigurationSection entry)
    {
        var symbol = entry[InstrumentFields[2]];
        var text = $"{entry[InstrumentFields[0]]?.Trim()}:{entry[InstrumentFields[1]]?.Trim()}";
        return string.IsNullOrWhiteSpace(symbol) ? text : $"{text}:{symbol.Trim()}";
    }

    private List<DateOnly> ReadHolidays()
    {
        var section = _section.GetSection("Sessions:Holidays");
        var entries = section.Value is { } single
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => (Key: "Sessions:Holidays", Text: t))
            : section.GetChildren().Select(c => (Key: "Sessions:Holidays:" + c.Key, Text: c.Value ?? ""));
        var dates = new List<DateOnly>();
        foreach (var (key, text) in entries)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                dates.Add(date);
            }
            else
            {
                Problem(key, $"must be a date written yyyy-MM-dd (got '{text}').");
            }
        }

        return dates;
    }

    private string? Text(string relative)
    {
        var value = _section[relative];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private TEnum Enum<TEnum>(string relative, TEnum fallback)
        where TEnum : struct, System.Enum
    {
        var text = Text(relative);
        if (text is null)
        {
            return fallback;
        }

        if (System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsAsciiDigit(text[0]))
        {
            return value;
        }

        Problem(relative, $"must be one of {string.Join(", ", System.Enum.GetNames<TEnum>())} (got '{text}').");
        return fallback;
    }

    private TimeSpan Duration(string relative, TimeSpan fallback, bool allowZero = false)
    {
        var text = Text(relative);
        if (text is null)
        {
            return fallback;
        }

        // hh:mm:ss only: a bare "30" parses as thirty days, which nobody means.
        if (!text.Contains(':', StringComparison.Ordinal) || !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value))
        {
            Problem(relative, $"must be a duration written hh:mm:ss, for example 00:00:30 (got '{text}').");
            return fallback;
        }

        if (value < TimeSpan.Zero || (value == TimeSpan.Zero && !allowZero))
        {
            Problem(relative, $"must be {(allowZero ? "zero or positive" : "positive")} (got '{text}').");
            return fallback;
        }

        return value;
    }

    private int Integer(string relative, int fallback, int min)
    {
        var text = Text(relative);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            Problem(relative, min == int.MinValue ? $"must be a whole number (got '{text}')." : $"must be a whole number of at least {min} (got '{text}').");
            return fallback;
        }

        return value;
    }

    private long Long(string relative, long fallback, long min)
    {
        var text = Text(relative);
        if (text is null)
        {
            return fallback;
        }

        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min)
        {
            Problem(relative, $"must be a whole number of at least {min} (got '{text}').");
            return fallback;
        }

        return value;
    }

    private double Number(string relative, double fallback, double min)
    {
        var text = Text(relative);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < min)
        {
            Problem(relative, $"must be a number of at least {min.ToString(CultureInfo.InvariantCulture)} (got '{text}').");
            return fallback;
        }

        return value;
    }

    private bool Boolean(string relative, bool fallback)
    {
        var text = Text(relative);
        if (text is null)
        {
            return fallback;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        Problem(relative, $"must be true or false (got '{text}').");
        return fallback;
    }

    private Uri Url(string relative, Uri? fallback, params string[] schemes)
    {
        var text = Text(relative);
        if (text is null)
        {
            return fallback!;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && schemes.Contains(url.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            return url;
        }

        Problem(relative, $"must be an absolute {string.Join(" or ", schemes.Select(s => s + "://"))} URL (got '{text}').");
        return fallback ?? new Uri("http://127.0.0.1/");
    }
}
