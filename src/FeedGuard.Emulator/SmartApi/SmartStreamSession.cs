using System.Net.WebSockets;
using System.Threading.Channels;
using FeedGuard.Emulator.Faults;
using FeedGuard.Emulator.Hosting;
using FeedGuard.Emulator.Market;
using Microsoft.AspNetCore.Http;

namespace FeedGuard.Emulator.SmartApi;

/// <summary>
/// One SmartStream socket: a receive loop (pings and subscription requests) and a single
/// writer loop, so frames never interleave. The market queues ticks without blocking; faults
/// that shape the data (mute, stall, malformed, truncated) are applied at the writer.
/// </summary>
internal sealed class SmartStreamSession : EmulatorSession, ITickSubscriber
{
    private const int MaxRequestBytes = 256 * 1024;
    private static readonly byte[] Pong = "pong"u8.ToArray();

    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<(InstrumentKey Key, byte Mode), Instrument?> _subscriptions = [];
    private readonly Random _random;
    private readonly int _queueCapacity;
    private int _pendingTicks;

    public SmartStreamSession(long id, HttpContext context, WebSocket socket, EmulatorRuntime runtime)
        : base(id, EmulatorBrokers.SmartApi, context, socket, runtime, MaxRequestBytes)
    {
        _random = new Random(HashCode.Combine(runtime.Options.Seed, id));
        _queueCapacity = runtime.Options.SocketQueueCapacity;
    }

    private readonly record struct Outbound(byte[] Data, Instrument? Instrument, byte Mode, long Sequence, long ExchangeTimeMs, long Ltp);

    protected override Task[] StartLoops(CancellationToken cancellationToken) => [Task.Run(() => WriteLoopAsync(cancellationToken), CancellationToken.None)];

    protected override void OnReceiveEnded()
    {
        UnsubscribeAll();
        _outbound.Writer.TryComplete();
    }

    protected override void OnTextMessage(ReadOnlySpan<byte> message, bool oversized)
    {
        if (message.SequenceEqual("ping"u8))
        {
            Runtime.Counters.PingAnswered();
            _outbound.Writer.TryWrite(new Outbound(Pong, null, 0, 0, 0, 0));
        }
        else
        {
            HandleRequest(oversized ? [] : message);
        }
    }

    public void Deliver(Instrument instrument, byte mode, byte[] packet, long sequence, long exchangeTimeMs, long lastTradedPrice)
    {
        if (Interlocked.Increment(ref _pendingTicks) > _queueCapacity)
        {
            Interlocked.Decrement(ref _pendingTicks);
            Runtime.Counters.PacketDropped();
            return;
        }

        if (!_outbound.Writer.TryWrite(new Outbound(packet, instrument, mode, sequence, exchangeTimeMs, lastTradedPrice)))
        {
            Interlocked.Decrement(ref _pendingTicks);
        }
    }

    private void HandleRequest(ReadOnlySpan<byte> json)
    {
        var request = SubscriptionRequest.TryParse(json, out var correlationId);
        if (request is null)
        {
            SendError(correlationId, SubscriptionRequest.InvalidPayloadCode, SubscriptionRequest.InvalidPayloadMessage);
            return;
        }

        if (request.Subscribe)
        {
            var added = 0;
            foreach (var key in request.Instruments)
            {
                if (!_subscriptions.ContainsKey((key, request.Mode)))
                {
                    added++;
                }
            }

            if (_subscriptions.Count + added > Runtime.Options.SmartApi.MaxSubscriptionsPerSocket)
            {
                // A failed request leaves existing subscriptions as they were.
                SendError(correlationId, SubscriptionRequest.LimitExceededCode, SubscriptionRequest.LimitExceededMessage);
                return;
            }

            foreach (var key in request.Instruments)
            {
                if (_subscriptions.ContainsKey((key, request.Mode)))
                {
                    continue;
                }

                // Unknown tokens are accepted and count toward the quota, but never tick.
                var instrument = Runtime.Market.GetOrCreate(key);
                _subscriptions[(key, request.Mode)] = instrument;
                instrument?.AddSubscriber(this, request.Mode);
            }

            Runtime.Counters.AddSubscriptions(added);
        }
        else
        {
            foreach (var key in request.Instruments)
            {
                if (_subscriptions.Remove((key, request.Mode), out var instrument))
                {
                    instrument?.RemoveSubscriber(this, request.Mode);
                    Runtime.Counters.AddSubscriptions(-1);
                }
            }
        }
    }

    private void SendError(string correlationId, string code, string message)
    {
        Runtime.Counters.RequestError();
        Log.RequestRejected(Runtime.Logger, Broker, Id, code);
        _outbound.Writer.TryWrite(new Outbound(SubscriptionRequest.ErrorFrame(correlationId, code, message), null, 0, 0, 0, 0));
    }

    private void UnsubscribeAll()
    {
        foreach (var ((_, mode), instrument) in _subscriptions)
        {
            instrument?.RemoveSubscriber(this, mode);
        }

        Runtime.Counters.AddSubscriptions(-_subscriptions.Count);
        _subscriptions.Clear();
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Instrument is null)
                {
                    await Socket.SendAsync(item.Data, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                Interlocked.Decrement(ref _pendingTicks);
                await SendTickAsync(item, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The socket is gone or closing; the receive loop reports why.
        }
    }

    private async ValueTask SendTickAsync(Outbound item, CancellationToken cancellationToken)
    {
        var faults = Runtime.Faults;
        if (faults.Find(FaultKind.Stall, Broker) is not null || faults.Find(FaultKind.MuteData, Broker) is not null)
        {
            Runtime.Counters.PacketMuted();
            return;
        }

        if (faults.Find(FaultKind.Truncated, Broker) is { } truncated && _random.NextDouble() < truncated.Rate)
        {
            var length = _random.Next(1, item.Data.Length);
            Runtime.Counters.Truncated();
            await Socket.SendAsync(item.Data.AsMemory(0, length), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (faults.Find(FaultKind.Malformed, Broker) is { } malformed && _random.NextDouble() < malformed.Rate)
        {
            var copy = (byte[])item.Data.Clone();
            if (_random.Next(2) == 0)
            {
                _random.NextBytes(copy);
            }

            // Either way the mode byte is one no SmartStream decoder accepts (valid modes are 1–4).
            copy[0] = (byte)_random.Next(5, 256);
            Runtime.Counters.Malformed();
            await Socket.SendAsync(copy, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            return;
        }

        await Socket.SendAsync(item.Data, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
        item.Instrument!.RecordSent(Id, item.Mode, item.Sequence, item.ExchangeTimeMs, item.Ltp);
        Runtime.Counters.PacketSent();
    }
}
