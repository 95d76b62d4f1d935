using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FeedGuard.Server.Cli;

/// <summary><c>feedguard status</c>: a running gateway's <c>/api/status</c> as a table or JSON.</summary>
internal static class StatusCommand
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var url = new Option<string>("--url") { Description = $"The gateway (default {RunSettings.DefaultUrls}).", DefaultValueFactory = _ => RunSettings.DefaultUrls };
        url.Validators.Add(r =>
        {
            var text = r.GetValueOrDefault<string>();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                r.AddError($"--url must be an absolute http:// or https:// URL (got '{text}').");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print the status JSON as the gateway returns it." };
        var command = new Command("status", "Show a running gateway's status.");
        command.Options.Add(url);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => RunAsync(new Uri(parse.GetValue(url)!), parse.GetValue(json), output, error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Uri url, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var endpoint = new Uri(new Uri(url.AbsoluteUri.TrimEnd('/') + "/"), "api/status");
        string body;
        using (var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan })
        using (var timeout = new CancellationTokenSource(RequestTimeout, TimeProvider.System))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
        {
            try
            {
                using var response = await http.GetAsync(endpoint, linked.Token).ConfigureAwait(false);
                body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    await error.WriteLineAsync($"feedguard: {endpoint} answered HTTP {(int)response.StatusCode}: {body}").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                var reason = ex is OperationCanceledException ? $"no answer within {RequestTimeout.TotalSeconds:0} s" : ex.Message;
                await error.WriteLineAsync($"feedguard: cannot reach a gateway at {endpoint}: {reason}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }

        using var document = JsonDocument.Parse(body);
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(document.RootElement, Indented)).ConfigureAwait(false);
        }
        else
        {
            await output.WriteAsync(Table(document.RootElement, url)).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    internal static string Table(JsonElement status, Uri url)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        var demo = status.TryGetProperty("demo", out var d) && d.ValueKind == JsonValueKind.True;
        text.Append(culture, $"FeedGuard at {url}  broker {Get(status, "broker")}{(demo ? "  DEMO (prices are not real)" : "")}\n");
        Row(text, "status", $"{Get(status, "status")} since {Get(status, "since")}");
        Row(text, "mode", Get(status, "mode"));
        Row(text, "last tick age", Seconds(status, "last_tick_age"));
        Row(text, "reconnect attempts", Get(status, "reconnect_attempts"));
        Row(text, "next reconnect", Get(status, "next_reconnect_at"));
        Row(text, "connection active", Get(status, "connection_active"));
        var error = status.TryGetProperty("last_error", out var e) && e.ValueKind == JsonValueKind.Object ? $"{Get(e, "reason")}: {Get(e, "message")} at {Get(e, "at")}" : "-";
        Row(text, "last error", error);
        if (status.TryGetProperty("counters", out var c))
        {
            Row(text, "ticks", $"received {Get(c, "received")} (stream {Get(c, "received_stream")}, poll {Get(c, "received_poll")}, simulated {Get(c, "received_simulated")}), delivered {Get(c, "delivered")}, duplicates {Get(c, "duplicates_dropped")}, malformed {Get(c, "malformed")}");
        }

        if (status.TryGetProperty("instruments", out var instruments) && instruments.ValueKind == JsonValueKind.Array)
        {
            text.Append('\n').Append(culture, $"{"INSTRUMENT",-14} {"SYMBOL",-12} {"PRICE",12} {"SOURCE",-9} {"AGE",8}  STALE\n");
            foreach (var i in instruments.EnumerateArray())
            {
                var stale = i.TryGetProperty("stale", out var s) && s.ValueKind == JsonValueKind.True ? "stale" : "";
                text.Append(culture, $"{Get(i, "instrument"),-14} {Get(i, "symbol"),-12} {Get(i, "last_price"),12} {Get(i, "source"),-9} {Seconds(i, "last_tick_age"),8}  {stale}\n");
            }
        }

        return text.ToString();
    }

    private static void Row(StringBuilder text, string label, string value) => text.Append(CultureInfo.InvariantCulture, $"  {label,-19} {value}\n");

    private static string Get(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? "-" : value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => "-",
            JsonValueKind.String => value.GetString() ?? "-",
            JsonValueKind.True => "yes",
            JsonValueKind.False => "no",
            _ => value.GetRawText(),
        };

    private static string Seconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetDouble().ToString("0.0", CultureInfo.InvariantCulture) + " s"
            : "-";
}
