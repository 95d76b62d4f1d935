using System.Globalization;
using System.Text.Json;
using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.SmartApi;
using Microsoft.AspNetCore.Http;

namespace FeedGuard.Emulator.Hosting;

/// <summary>
/// The emulator's own control API: <c>GET|POST|DELETE /emulator/faults</c>,
/// <c>DELETE /emulator/faults/{id}</c> and <c>GET /emulator/stats</c>.
/// </summary>
internal sealed class FaultEndpoints
{
    public const string FaultsPath = "/emulator/faults";
    public const string StatsPath = "/emulator/stats";

    private readonly EmulatorRuntime _runtime;

    public FaultEndpoints(EmulatorRuntime runtime) => _runtime = runtime;

    public Task ListAsync(HttpContext context) => SmartRestEndpoint.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartArray("faults");
        foreach (var fault in _runtime.Faults.Active)
        {
            FaultJson.Write(writer, fault);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    public async Task InjectAsync(HttpContext context)
    {
        FaultSpec spec;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
            spec = FaultJson.Parse(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            await SmartRestEndpoint.WriteJsonAsync(context, StatusCodes.Status400BadRequest, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("error", ex is JsonException ? "The body is not valid JSON." : ex.Message);
                writer.WriteEndObject();
            }).ConfigureAwait(false);
            return;
        }

        var fault = _runtime.Faults.Inject(spec);
        await SmartRestEndpoint.WriteJsonAsync(context, StatusCodes.Status201Created, writer => FaultJson.Write(writer, fault)).ConfigureAwait(false);
    }

    public Task ClearAllAsync(HttpContext context)
    {
        var cleared = _runtime.Faults.ClearAll();
        return SmartRestEndpoint.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("cleared", cleared);
            writer.WriteEndObject();
        });
    }

    public Task ClearOneAsync(HttpContext context)
    {
        var text = context.Request.RouteValues["id"] as string;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !_runtime.Faults.Clear(id))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    public Task StatsAsync(HttpContext context) => SmartRestEndpoint.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
    {
        var c = _runtime.Counters;
        writer.WriteStartObject();
        writer.WriteNumber("connectionsOpen", c.ConnectionsOpen);
        writer.WriteNumber("connectionsAccepted", c.ConnectionsAccepted);
        writer.WriteNumber("handshakesRejected", c.HandshakesRejected);
        writer.WriteNumber("subscriptions", c.Subscriptions);
        writer.WriteNumber("instruments", _runtime.Market.InstrumentCount);
        writer.WriteNumber("packetsSent", c.PacketsSent);
        writer.WriteNumber("packetsDropped", c.PacketsDropped);
        writer.WriteNumber("packetsMuted", c.PacketsMuted);
        writer.WriteNumber("malformedSent", c.MalformedSent);
        writer.WriteNumber("truncatedSent", c.TruncatedSent);
        writer.WriteNumber("pingsAnswered", c.PingsAnswered);
        writer.WriteNumber("requestErrors", c.RequestErrors);
        writer.WriteNumber("restRequestsServed", c.RestRequestsServed);
        writer.WriteNumber("restRequestsRejected", c.RestRequestsRejected);
        writer.WriteEndObject();
    });
}
