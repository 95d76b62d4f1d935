using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using FeedGuard.Emulator.SmartApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace FeedGuard.LoopbackBench;

/// <summary>
/// A minimal Kestrel server that sends SmartAPI LTP packets as fast as the client takes them
/// (gathered into large socket writes, so the sender is never the limit), or paced. It runs in a
/// child process so its allocations and GCs never count against the client being measured. Each
/// packet's sequence field carries the send instant (a Stopwatch timestamp:
/// CLOCK_MONOTONIC, shared by every process on the machine), so the receiver can compute latency.
/// </summary>
internal static class Blaster
{
    /// <summary>The only argument of the child process that runs the blaster.</summary>
    public const string Flag = "--blaster";

    // RFC 6455: appended to the client's key before hashing it into Sec-WebSocket-Accept.
    private const string WebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static async Task<int> RunAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.Map("/{**path}", HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Urls.First();
        await Console.Out.WriteLineAsync("LISTENING " + address).ConfigureAwait(false);
        await Console.Out.FlushAsync().ConfigureAwait(false);

        // The parent closes our stdin when it is done (or dies): stop then.
        await Console.In.ReadToEndAsync().ConfigureAwait(false);
        await app.StopAsync().ConfigureAwait(false);
        return 0;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var q = context.Request.Query;
        var ticks = long.Parse(q["n"].ToString(), CultureInfo.InvariantCulture);
        var batch = int.Parse(q["batch"].ToString(), CultureInfo.InvariantCulture);
        var rate = int.Parse(q["rate"].ToString(), CultureInfo.InvariantCulture);
        var instruments = int.Parse(q["instruments"].ToString(), CultureInfo.InvariantCulture);

        // The handshake by hand (RFC 6455 section 4.2.2) rather than AcceptWebSocketAsync, to own the stream under
        // the WebSocket: a blast gathers messages into large socket writes (see CoalescingStream).
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + WebSocketGuid)));
        var stream = new CoalescingStream(await upgrade.UpgradeAsync().ConfigureAwait(false), capacity: 64 * 1024);
        await using (stream.ConfigureAwait(false))
        {
            if (rate > 0)
            {
                await stream.StopCoalescingAsync(context.RequestAborted).ConfigureAwait(false);
            }

            using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
            var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reader = ReadUntilCloseAsync(socket, subscribed, context.RequestAborted);
            await subscribed.Task.ConfigureAwait(false);
            try
            {
                await SendAsync(socket, ticks, batch, rate, instruments, context.RequestAborted).ConfigureAwait(false);
                await stream.StopCoalescingAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // The client left early (a failed or cancelled run): nothing to report from here.
            }

            await reader.ConfigureAwait(false);
        }
    }

    // The first text frame is the client's subscribe request; then keep reading so a ping or the
    // closing handshake is consumed, and finish when the client closes.
    private static async Task ReadUntilCloseAsync(WebSocket socket, TaskCompletionSource subscribed, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    subscribed.TrySetResult();
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                    return;
                }

                subscribed.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            subscribed.TrySetResult();
        }
    }

    private static async Task SendAsync(WebSocket socket, long ticks, int batch, int rate, int instruments, CancellationToken cancellationToken)
    {
        var tokens = Enumerable.Range(0, instruments).Select(Wire.Token).ToArray();
        var buffer = new byte[batch * Wire.PacketSize];
        var messages = (ticks + batch - 1) / batch;
        var ticksPerMessage = (double)Stopwatch.Frequency * batch / Math.Max(rate, 1);
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        for (long m = 0; m < messages; m++)
        {
            if (rate > 0)
            {
                Pace(start + (long)(m * ticksPerMessage));
            }

            var count = (int)Math.Min(batch, ticks - sent);
            var exchangeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var stamp = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var k = sent + i;
                var ltp = k == ticks - 1 ? Wire.EndMarker : 100_000 + (k % 5_000);
                SmartStreamEncoder.WriteLtp(buffer.AsSpan(i * Wire.PacketSize), Wire.NseExchangeType, tokens[k % instruments], stamp, exchangeMs, ltp);
            }

            // The stamp is taken as late as possible: rewrite it just before the send (while blasting, the
            // message may still wait in the gathering buffer; blast latency is queueing either way).
            stamp = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan((i * Wire.PacketSize) + 27), stamp);
            }

            await socket.SendAsync(buffer.AsMemory(0, count * Wire.PacketSize), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            sent += count;
        }
    }

    // Sleeps while far from the due time and yields close to it: exact enough at 10k-100k ticks/s
    // without burning one of the machine's two cores.
    private static void Pace(long due)
    {
        while (true)
        {
            var remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > Stopwatch.Frequency / 500)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.Yield();
            }
        }
    }
}
