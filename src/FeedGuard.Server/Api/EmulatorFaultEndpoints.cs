using System.Net.Http.Headers;
using FeedGuard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FeedGuard.Server.Api;

/// <summary>
/// Demo mode only: <c>GET|POST|DELETE /api/emulator/faults</c>, forwarded to the emulator's own
/// fault API (<c>/emulator/faults</c>) so the dashboard and the emulator share one fault format and
/// one validator. 404 outside demo mode. Clearing the faults also lifts an
/// auth-rejection stop, as new credentials would.
/// </summary>
internal sealed class EmulatorFaultEndpoints : IDisposable
{
    private const string Path = "/api/emulator/faults";
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (HttpContext context, FeedGuardGateway gateway, EmulatorFaultEndpoints proxy) => proxy.ForwardAsync(context, gateway, HttpMethod.Get));
        app.MapPost(Path, (HttpContext context, FeedGuardGateway gateway, EmulatorFaultEndpoints proxy) => proxy.ForwardAsync(context, gateway, HttpMethod.Post));
        app.MapDelete(Path, (HttpContext context, FeedGuardGateway gateway, EmulatorFaultEndpoints proxy) => proxy.ForwardAsync(context, gateway, HttpMethod.Delete));
    }

    public void Dispose() => _http.Dispose();

    private async Task ForwardAsync(HttpContext context, FeedGuardGateway gateway, HttpMethod method)
    {
        if (gateway.EmulatorUrl is not { } emulator)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new { error = "Fault injection is only available in demo mode (FeedGuard:Broker = Emulator, or Kite without credentials)." }, ApiJson.Options, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var request = new HttpRequestMessage(method, new Uri(emulator, "emulator/faults"));
        if (method == HttpMethod.Post)
        {
            var body = new StreamContent(context.Request.Body);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Content = body;
        }

        try
        {
            using var response = await _http.SendAsync(request, context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            if (method == HttpMethod.Delete && response.IsSuccessStatusCode)
            {
                // An auth rejection stops reconnects until the credentials change. The emulator's demo
                // credentials are valid again once its faults are cleared, so say so: otherwise
                // "clear" after "auth reject" would leave the demo in error for good. A no-op when
                // reconnects were not stopped.
                gateway.Feed?.NotifyCredentialsChanged();
            }
        }
        catch (HttpRequestException ex)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            await context.Response.WriteAsJsonAsync(new { error = $"The emulator did not answer: {ex.Message}" }, ApiJson.Options, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
