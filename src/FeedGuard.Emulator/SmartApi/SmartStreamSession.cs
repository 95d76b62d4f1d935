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
internal sealed class SmartStreamSession : ITickSubscriber, IEmulatorConnection
{
    private const int MaxRequestBytes = 256 * 1024;
    private static readonly byte[] Pong = "pong"u8.ToArray();
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly HttpContext _context;
    private readonly System.Net.Sockets.Socket? _tcp;
    private readonly WebSocket _socket;
    private readonly EmulatorRuntime _runtime;
    private readonly Channel<Outbound> _outbound = Channel.CreateUnbounded<Outbound>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<(InstrumentKey Key, byte Mode), Instrument?> _subscriptions = [];
    private readonly CancellationTokenSource _cts;
    private readonly Random _random;
    private readonly int _queueCapacity;
    private readonly TaskCompletionSource _receiveDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pendingTicks;
    private int _closing;
    private int _dropped;
    private Task? _closeTask;

    public SmartStreamSession(long id, HttpContext context, WebSocket socket, EmulatorRuntime runtime)
    {
        Id = id;
        _context = context;
        _tcp = RawWebSocket.SocketOf(context);
        _socket = socket;
        _runtime = runtime;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(runtime.Stopping, context.RequestAborted);
        _random = new Random(HashCode.Combine(runtime.Options.Seed, id));
        _queueCapacity = runtime.Options.SocketQueueCapacity;
    }

    private readonly record struct Outbound(byte[] Data, Instrument? Instrument, byte Mode, long Sequence, long ExchangeTimeMs, long Ltp);

    public long Id { get; }

    public string Broker => EmulatorBrokers.SmartApi;

    public async Task RunAsync()
    {
        _runtime.Connections.Add(this);
        _runtime.Counters.ConnectionOpened();
        Log.ConnectionOpened(_runtime.Logger, Broker, Id);
        var writer = Task.Run(() => WriteLoopAsync(_cts.Token));
        var reason = "client closed";
        try
        {
            await ReceiveLoopAsync(_cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            reason = _runtime.Stopping.IsCancellationRequested ? "emulator stopping" : "aborted";
        }
        catch (WebSocketException ex)
        {
            reason = Volatile.Read(ref _dropped) == 1 ? "dropped by fault" : "network error";
            Log.ConnectionFailed(_runtime.Logger, Broker, Id, ex);
        }
        catch (IOException ex)
        {
            reason = "network error";
            Log.ConnectionFailed(_runtime.Logger, Broker, Id, ex);
        }
        finally
        {
            _receiveDone.TrySetResult();
            UnsubscribeAll();
            _outbound.Writer.TryComplete();
            await _cts.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
            if (_closeTask is not null)
            {
                await _closeTask.ConfigureAwait(false);
            }

            _runtime.Connections.Remove(this);
            _runtime.Counters.ConnectionClosed();
            _socket.Dispose();
            _cts.Dispose();
            Log.ConnectionClosed(_runtime.Logger, Broker, Id, reason);
        }
    }

    public void Deliver(Instrument instrument, byte mode, byte[] packet, long sequence, long exchangeTimeMs, long lastTradedPrice)
    {
        if (Interlocked.Increment(ref _pendingTicks) > _queueCapacity)
        {
            Interlocked.Decrement(ref _pendingTicks);
            _runtime.Counters.PacketDropped();
            return;
        }

        if (!_outbound.Writer.TryWrite(new Outbound(packet, instrument, mode, sequence, exchangeTimeMs, lastTradedPrice)))
        {
            Interlocked.Decrement(ref _pendingTicks);
        }
    }

    public void Drop()
    {
        Volatile.Write(ref _dropped, 1);
        RawWebSocket.Reset(_tcp, _context);
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Close(string? description)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            _closeTask = CloseCoreAsync(description ?? "Server closing");
        }
    }

    private async Task CloseCoreAsync(string description)
    {
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, description, _cts.Token).ConfigureAwait(false);
            await Task.WhenAny(_receiveDone.Task, Task.Delay(CloseGrace, _runtime.Time, _cts.Token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        if (!_receiveDone.Task.IsCompleted)
        {
            // The client never answered the close frame: let go of the connection anyway.
            RawWebSocket.Reset(_tcp, _context);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (_socket.State == WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            if (message.Length + result.Count <= MaxRequestBytes)
            {
                message.Write(buffer, 0, result.Count);
            }
            else
            {
                message.SetLength(MaxRequestBytes + 1);
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            // The real server's reaction to client binary frames is undocumented: ignore them.
            if (result.MessageType == WebSocketMessageType.Text)
            {
                var bytes = message.GetBuffer().AsSpan(0, (int)message.Length);
                if (bytes.SequenceEqual("ping"u8))
                {
                    _runtime.Counters.PingAnswered();
                    _outbound.Writer.TryWrite(new Outbound(Pong, null, 0, 0, 0, 0));
                }
                else
                {
                    HandleRequest(message.Length > MaxRequestBytes ? [] : bytes);
                }
            }

            message.SetLength(0);
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

            if (_subscriptions.Count + added > _runtime.Options.SmartApi.MaxSubscriptionsPerSocket)
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
                var instrument = _runtime.Market.GetOrCreate(key);
                _subscriptions[(key, request.Mode)] = instrument;
                instrument?.AddSubscriber(this, request.Mode);
            }

            _runtime.Counters.AddSubscriptions(added);
        }
        else
        {
            foreach (var key in request.Instruments)
            {
                if (_subscriptions.Remove((key, request.Mode), out var instrument))
                {
                    instrument?.RemoveSubscriber(this, request.Mode);
                    _runtime.Counters.AddSubscriptions(-1);
                }
            }
        }
    }

    private void SendError(string correlationId, string code, string message)
    {
        _runtime.Counters.RequestError();
        Log.RequestRejected(_runtime.Logger, Broker, Id, code);
        _outbound.Writer.TryWrite(new Outbound(SubscriptionRequest.ErrorFrame(correlationId, code, message), null, 0, 0, 0, 0));
    }

    private void UnsubscribeAll()
    {
        foreach (var ((_, mode), instrument) in _subscriptions)
        {
            instrument?.RemoveSubscriber(this, mode);
        }

        _runtime.Counters.AddSubscriptions(-_subscriptions.Count);
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
                    await _socket.SendAsync(item.Data, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
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
        var faults = _runtime.Faults;
        if (faults.Find(FaultKind.Stall, Broker) is not null || faults.Find(FaultKind.MuteData, Broker) is not null)
        {
            _runtime.Counters.PacketMuted();
            return;
        }

        if (faults.Find(FaultKind.Truncated, Broker) is { } truncated && _random.NextDouble() < truncated.Rate)
        {
            var length = _random.Next(1, item.Data.Length);
            _runtime.Counters.Truncated();
            await _socket.SendAsync(item.Data.AsMemory(0, length), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
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
            _runtime.Counters.Malformed();
            await _socket.SendAsync(copy, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
            return;
        }

        await _socket.SendAsync(item.Data, WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
        item.Instrument!.RecordSent(Id, item.Mode, item.Sequence, item.ExchangeTimeMs, item.Ltp);
        _runtime.Counters.PacketSent();
    }
}
