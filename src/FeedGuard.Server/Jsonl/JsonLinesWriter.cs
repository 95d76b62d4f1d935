using System.Text.Json;
using System.Text.Json.Nodes;
using FeedGuard.Buffers;
using FeedGuard.Events;
using FeedGuard.Failover;
using FeedGuard.Hosting;
using FeedGuard.Server.Api;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Server.Jsonl;

/// <summary>
/// <c>feedguard run --jsonl</c>: every tick, status change and event as one JSON object per line on
/// stdout, so the feed can be piped into other tools. Ticks come through a drop-oldest subscription
/// (a stalled pipe loses the oldest ticks and the drops are counted in status; it never stalls the
/// feed). Registered before the feed's hosted service, so it stops after the feed and prints the
/// final <c>stopped</c> status.
/// </summary>
internal sealed class JsonLinesWriter : IHostedService, IDisposable
{
    private static readonly string[] StatusFields = ["mode", "status", "last_tick_age", "reconnect_attempts", "connection_active", "since", "last_error", "next_reconnect_at", "auth_blocked"];

    private readonly FeedGuardGateway _gateway;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Stream _stdout;
    private readonly Utf8JsonWriter _json;
    private TickSubscription? _ticks;
    private EventSubscription? _events;
    private Task _tickLoop = Task.CompletedTask;
    private Task _eventLoop = Task.CompletedTask;
    private FeedState? _lastState;

    public JsonLinesWriter(FeedGuardGateway gateway, ILoggerFactory loggers)
        : this(gateway, loggers, Console.OpenStandardOutput())
    {
    }

    internal JsonLinesWriter(FeedGuardGateway gateway, ILoggerFactory loggers, Stream output)
    {
        _gateway = gateway;
        _logger = loggers.CreateLogger("FeedGuard.Server.Jsonl");
        _stdout = new BufferedStream(output, 64 * 1024);
        _json = new Utf8JsonWriter(_stdout, ApiJson.WriterOptions);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var feed = await _gateway.GetFeedAsync(cancellationToken).ConfigureAwait(false);
        _ticks = feed.Subscribe(new SubscriptionOptions { Name = "jsonl", Policy = BufferPolicy.DropOldest, Capacity = 100_000 });
        _events = feed.SubscribeEvents(4096);
        await WriteStatusAsync(feed, CancellationToken.None).ConfigureAwait(false);
        _tickLoop = Task.Run(() => TickLoopAsync(_ticks), CancellationToken.None);
        _eventLoop = Task.Run(() => EventLoopAsync(feed, _events), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The feed has stopped by now (it stops first): its subscriptions drain and end.
        if (_ticks is not null)
        {
            await _ticks.DisposeAsync().ConfigureAwait(false);
        }

        if (_events is not null)
        {
            await _events.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_tickLoop, _eventLoop).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_gateway.Feed is { } feed)
        {
            await WriteStatusAsync(feed, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _json.Dispose();
        _stdout.Dispose();
        _gate.Dispose();
    }

    private async Task TickLoopAsync(TickSubscription ticks)
    {
        try
        {
            while (await ticks.WaitToReadAsync().ConfigureAwait(false))
            {
                await _gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    while (ticks.TryRead(out var tick))
                    {
                        _json.Reset(_stdout);
                        TickJson.Write(_json, tick);
                        EndLine();
                    }

                    await _stdout.FlushAsync().ConfigureAwait(false);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (IOException ex)
        {
            // The reader of the pipe went away (e.g. `| head`); the gateway keeps running.
            Log.JsonLinesFailed(_logger, ex);
        }
    }

    private async Task EventLoopAsync(MarketFeed feed, EventSubscription events)
    {
        try
        {
            await foreach (var feedEvent in ((IAsyncEnumerable<FeedEvent>)events).ConfigureAwait(false))
            {
                var node = JsonSerializer.SerializeToNode(feedEvent, ApiJson.Options)!.AsObject();
                var line = new JsonObject { ["type"] = "event", ["kind"] = node["type"]?.DeepClone() };
                foreach (var (name, value) in node)
                {
                    if (name != "type")
                    {
                        line[name] = value?.DeepClone();
                    }
                }

                await WriteLineAsync(line, CancellationToken.None).ConfigureAwait(false);
                if (feedEvent is ModeChangedEvent)
                {
                    await WriteStatusAsync(feed, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (IOException ex)
        {
            Log.JsonLinesFailed(_logger, ex);
        }
    }

    private async Task WriteStatusAsync(MarketFeed feed, CancellationToken cancellationToken)
    {
        var status = feed.GetStreamStatus();
        if (_lastState == status.Status)
        {
            return;
        }

        _lastState = status.Status;
        var full = ApiJson.Status(status, _gateway);
        var line = new JsonObject { ["type"] = "status" };
        foreach (var field in StatusFields)
        {
            line[field] = full[field]?.DeepClone();
        }

        line["broker"] = full["broker"]?.DeepClone();
        line["demo"] = full["demo"]?.DeepClone();
        await WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteLineAsync(JsonObject line, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _json.Reset(_stdout);
            line.WriteTo(_json, ApiJson.Options);
            EndLine();
            await _stdout.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void EndLine()
    {
        _json.Flush();
        _stdout.WriteByte((byte)'\n');
    }
}
