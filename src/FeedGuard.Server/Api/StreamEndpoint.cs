using System.Buffers;
using System.Text;
using System.Text.Json;
using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Server.Api;

/// <summary>
/// <c>GET /api/stream</c>: server-sent events for browsers. <c>event: tick</c> conflated per
/// instrument (each client has its own latest-per-instrument subscription, flushed at most every
/// <see cref="FlushInterval"/>, so a slow browser costs one slot per instrument and never slows the
/// feed); <c>event: status</c> at once on every state change and at least every second;
/// <c>event: event</c> for each feed event; a comment line as heartbeat. The subscription is disposed
/// when the client leaves or the gateway stops.
/// </summary>
internal static class StreamEndpoint
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);
    private static long s_clients;

    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/api/stream", HandleAsync);

    private static async Task HandleAsync(HttpContext context, FeedGuardGateway gateway, TimeProvider time, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        if (gateway.Feed is not { } feed)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";

        // Shutdown must not wait for browsers to hang up.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var cancellationToken = stop.Token;
        var client = Interlocked.Increment(ref s_clients);
        var ticks = feed.Subscribe(new SubscriptionOptions { Name = $"sse-{client}", Policy = BufferPolicy.LatestPerInstrument });
        var events = feed.SubscribeEvents(256);
        var logger = loggers.CreateLogger("FeedGuard.Server.Stream");
        var output = new ArrayBufferWriter<byte>(4096);
        using var json = new Utf8JsonWriter(output, ApiJson.WriterOptions);
        try
        {
            Comment(output, "feedguard");
            Append(output, "retry: 2000\n\n");
            var status = feed.GetStreamStatus();
            var lastState = status.Status;
            WriteStatus(output, json, status, gateway);
            foreach (var instrument in feed.Instruments.All)
            {
                if (feed.TryGetLatest(instrument.Key, out var latest))
                {
                    WriteTick(output, json, latest);
                }
            }

            await FlushAsync(context, output, cancellationToken).ConfigureAwait(false);
            var lastStatusAt = time.GetTimestamp();
            var lastWriteAt = lastStatusAt;
            using var timer = new PeriodicTimer(FlushInterval, time);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var stateChanged = false;
                while (events.TryRead(out var feedEvent))
                {
                    WriteEvent(output, json, feedEvent!);
                    stateChanged |= feedEvent is ModeChangedEvent or ReconnectAttemptEvent or RecoveredEvent;
                }

                while (ticks.TryRead(out var tick))
                {
                    WriteTick(output, json, tick);
                }

                status = feed.GetStreamStatus();
                if (stateChanged || status.Status != lastState || time.GetElapsedTime(lastStatusAt) >= StatusInterval)
                {
                    WriteStatus(output, json, status, gateway);
                    lastState = status.Status;
                    lastStatusAt = time.GetTimestamp();
                }

                if (output.WrittenCount == 0 && time.GetElapsedTime(lastWriteAt) >= HeartbeatInterval)
                {
                    Comment(output, "heartbeat");
                }

                if (output.WrittenCount > 0)
                {
                    await FlushAsync(context, output, cancellationToken).ConfigureAwait(false);
                    lastWriteAt = time.GetTimestamp();
                }

                if (status.Status == FeedState.Stopped)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Log.SseClientEnded(logger, "client left or gateway stopping");
        }
        catch (IOException ex)
        {
            Log.SseClientEnded(logger, ex.Message);
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
            await ticks.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void WriteStatus(ArrayBufferWriter<byte> output, Utf8JsonWriter json, Status.FeedStatus status, FeedGuardGateway gateway)
    {
        Append(output, "event: status\ndata: ");
        json.Reset(output);
        ApiJson.Status(status, gateway).WriteTo(json, ApiJson.Options);
        json.Flush();
        Append(output, "\n\n");
    }

    private static void WriteTick(ArrayBufferWriter<byte> output, Utf8JsonWriter json, in Ticks.Tick tick)
    {
        Append(output, "event: tick\ndata: ");
        json.Reset(output);
        TickJson.Write(json, tick);
        json.Flush();
        Append(output, "\n\n");
    }

    private static void WriteEvent(ArrayBufferWriter<byte> output, Utf8JsonWriter json, FeedEvent feedEvent)
    {
        Append(output, "event: event\ndata: ");
        json.Reset(output);
        JsonSerializer.Serialize(json, feedEvent, ApiJson.Options);
        json.Flush();
        Append(output, "\n\n");
    }

    private static void Comment(ArrayBufferWriter<byte> output, string text) => Append(output, $": {text}\n\n");

    private static void Append(ArrayBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static async Task FlushAsync(HttpContext context, ArrayBufferWriter<byte> output, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(output.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        output.ResetWrittenCount();
    }
}
