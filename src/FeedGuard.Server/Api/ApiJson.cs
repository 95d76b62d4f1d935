using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FeedGuard.Hosting;
using FeedGuard.Status;

namespace FeedGuard.Server.Api;

/// <summary>
/// One JSON dialect for the HTTP API, server-sent events and JSON lines: snake_case names, enums as
/// snake_case strings (types that name their members keep those names), durations as seconds.
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>For hand-written JSON (ticks): the same escaping as <see cref="Options"/>.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;

        // Keeps "+05:30" and "→" readable; every response is served as application/json or
        // text/event-stream, never inlined into HTML, so HTML-sensitive escaping buys nothing.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.Converters.Add(new TimeSpanSecondsConverter());
        return options;
    }

    /// <summary>The status snapshot (seed fields first) plus what only the gateway knows.</summary>
    public static JsonObject Status(FeedStatus status, FeedGuardGateway gateway)
    {
        var node = JsonSerializer.SerializeToNode(status, Options)!.AsObject();
        node["broker"] = BrokerName(gateway.Broker);
        node["demo"] = gateway.Demo;
        node["feed_mode"] = gateway.Options.Feed.FeedMode.ToString().ToLowerInvariant();
        node["fault_injection"] = gateway.EmulatorUrl is not null;
        node["heartbeat_threshold"] = gateway.Options.Feed.HeartbeatThreshold.TotalSeconds;
        if (gateway.Publisher?.GetStatus() is { } nats)
        {
            node["nats"] = JsonSerializer.SerializeToNode(nats, Options);
        }

        return node;
    }

    public static string BrokerName(FeedGuardBroker broker) => broker.ToString().ToLowerInvariant();

    /// <summary>Durations as seconds (a number), which dashboards and scripts can use directly.</summary>
    private sealed class TimeSpanSecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => TimeSpan.FromSeconds(reader.GetDouble());

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteNumberValue(value.TotalSeconds);
    }
}
