using System.Globalization;
using System.Text.Json;

namespace FeedGuard.Emulator.Faults;

/// <summary>
/// The JSON shape of a fault, shared by <c>POST /emulator/faults</c> and scenario steps:
/// <c>{"kind":"stall","durationSeconds":10,"rate":0.5,"intervalSeconds":5,"delaySeconds":3,"statusCode":503,"message":"…","broker":"smartapi"}</c>.
/// Only <c>kind</c> is required.
/// </summary>
internal static class FaultJson
{
    private static readonly (string Name, FaultKind Kind)[] Names =
    [
        ("drop", FaultKind.Drop),
        ("server-close", FaultKind.ServerClose),
        ("stall", FaultKind.Stall),
        ("mute", FaultKind.MuteData),
        ("malformed", FaultKind.Malformed),
        ("truncated", FaultKind.Truncated),
        ("auth-reject", FaultKind.AuthReject),
        ("rate-limit", FaultKind.RateLimit),
        ("rest-error", FaultKind.RestError),
        ("rest-slow", FaultKind.RestSlow),
        ("flap", FaultKind.Flap),
    ];

    public static string Name(FaultKind kind)
    {
        foreach (var (name, k) in Names)
        {
            if (k == kind)
            {
                return name;
            }
        }

        return kind.ToString();
    }

    public static bool TryParseKind(string? text, out FaultKind kind)
    {
        kind = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var folded = Fold(text);
        foreach (var (name, k) in Names)
        {
            if (Fold(name) == folded || Fold(k.ToString()) == folded)
            {
                kind = k;
                return true;
            }
        }

        // Short aliases people type in a hurry during a drill.
        switch (folded)
        {
            case "CLOSE":
                kind = FaultKind.ServerClose;
                return true;
            case "AUTH":
                kind = FaultKind.AuthReject;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Reads a fault object; throws <see cref="FormatException"/> naming the bad field.</summary>
    public static FaultSpec Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A fault must be a JSON object with at least a \"kind\".");
        }

        var kindText = element.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        if (!TryParseKind(kindText, out var kind))
        {
            throw new FormatException($"Unknown or missing fault \"kind\" '{kindText}'. Allowed: {string.Join(", ", Names.Select(n => n.Name))}.");
        }

        var spec = new FaultSpec(kind)
        {
            Duration = Seconds(element, "durationSeconds"),
            Interval = Seconds(element, "intervalSeconds"),
            Delay = Seconds(element, "delaySeconds"),
            Rate = Number(element, "rate") ?? 1.0,
            StatusCode = Number(element, "statusCode") is { } code ? (int)code : null,
            Message = Text(element, "message"),
            Broker = Text(element, "broker"),
        };
        try
        {
            spec.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new FormatException(ex.Message, ex);
        }

        return spec;
    }

    public static void Write(Utf8JsonWriter writer, ActiveFault fault)
    {
        var spec = fault.Spec;
        writer.WriteStartObject();
        writer.WriteNumber("id", fault.Id);
        writer.WriteString("kind", Name(spec.Kind));
        writer.WriteString("startedAt", fault.StartedAt.ToString("O", CultureInfo.InvariantCulture));
        if (fault.ExpiresAt is { } expires)
        {
            writer.WriteString("expiresAt", expires.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNull("expiresAt");
        }

        if (spec.Duration is { } d)
        {
            writer.WriteNumber("durationSeconds", d.TotalSeconds);
        }

        if (spec.Kind is FaultKind.Malformed or FaultKind.Truncated)
        {
            writer.WriteNumber("rate", spec.Rate);
        }

        if (spec.Interval is { } i)
        {
            writer.WriteNumber("intervalSeconds", i.TotalSeconds);
        }

        if (spec.Delay is { } delay)
        {
            writer.WriteNumber("delaySeconds", delay.TotalSeconds);
        }

        if (spec.StatusCode is { } code)
        {
            writer.WriteNumber("statusCode", code);
        }

        if (spec.Message is not null)
        {
            writer.WriteString("message", spec.Message);
        }

        if (spec.Broker is not null)
        {
            writer.WriteString("broker", spec.Broker);
        }

        writer.WriteEndObject();
    }

    private static string Fold(string s) => s.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();

    private static double? Number(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new FormatException($"Fault field \"{name}\" must be a number.");
    }

    private static TimeSpan? Seconds(JsonElement e, string name)
    {
        var n = Number(e, name);
        if (n is null)
        {
            return null;
        }

        return n is > 0 and < 1e7 ? TimeSpan.FromSeconds(n.Value) : throw new FormatException($"Fault field \"{name}\" must be a positive number of seconds.");
    }

    private static string? Text(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException($"Fault field \"{name}\" must be a string.");
    }
}
