using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using FeedGuard.Nats.Payload;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace FeedGuard.Nats.Publishing;

/// <content>The publishing loop: connect, check the stream, publish in order, settle acknowledgements.</content>
public sealed partial class NatsTickPublisher
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ConnectRetry = TimeSpan.FromMilliseconds(500);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!_ready)
                {
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                Settle();
                if (_connection.ConnectionState != NatsConnectionState.Open)
                {
                    LoseConnection("connection lost", null);
                    continue;
                }

                if (_order.Count >= _options.MaxInFlight)
                {
                    await WaitAsync(acksOnly: true, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!TryTake(out var pending))
                {
                    await WaitAsync(acksOnly: false, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                try
                {
                    await SendAsync(pending, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NatsException or ObjectDisposedException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
                {
                    LoseConnection(ex.Message, pending);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_connection.ConnectionState != NatsConnectionState.Open)
            {
                // The client reconnects on its own once it has connected; before that (and after it
                // gives up) we ask. Its connect takes no token and may wait for the server indefinitely,
                // so it runs beside this loop, which keeps checking and stays stoppable.
                if (_connecting is not { IsCompleted: false } && _connection.ConnectionState is NatsConnectionState.Closed)
                {
                    _connecting = ConnectOnceAsync();
                }

                _lastError ??= $"not connected to NATS at {_options.Connection.DisplayUrl}";
                await Task.Delay(ConnectRetry, _time, cancellationToken).ConfigureAwait(false);
                return;
            }

            await _jetStream.CreateOrUpdateStreamAsync(
                new StreamConfig(_options.Stream, [TickSubjects.All(_options.SubjectPrefix)])
                {
                    Storage = StreamConfigStorage.File,
                    MaxAge = _options.MaxAge,
                    MaxBytes = _options.MaxBytes,
                    DuplicateWindow = _options.DuplicateWindow,
                },
                cancellationToken).ConfigureAwait(false);

            if (_ackReader.IsCompleted)
            {
                var acks = await _connection.SubscribeCoreAsync(_inbox + ".*", serializer: NatsRawSerializer<byte[]>.Default, cancellationToken: cancellationToken).ConfigureAwait(false);
                _ackReader = Task.Run(() => ReadAcksAsync(acks, _stop.Token), CancellationToken.None);
            }

            _ready = true;
            Log.PublisherConnected(_logger, _options.Connection.DisplayUrl, _options.Stream, _options.MaxAge, _options.MaxBytes, _options.DuplicateWindow, _outbox.Reader.Count + _retryCount);
        }
        catch (Exception ex) when (ex is NatsException or ObjectDisposedException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            var message = ex is NatsJSApiException api ? $"stream {_options.Stream}: {api.Error.Description}" : ex.Message;

            // Retried every half second: say it once, and again only when the reason changes.
            if (ex is NatsJSApiException && message != _lastError)
            {
                Log.StreamSetupFailed(_logger, _options.Stream, message);
            }

            RecordError(message);

            await Task.Delay(ConnectRetry, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ConnectOnceAsync()
    {
        try
        {
            await _connection.ConnectAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or ObjectDisposedException or SocketException or IOException)
        {
            RecordError("NATS connection: " + ex.Message);
        }
    }

    private bool TryTake(out Pending pending)
    {
        if (_retry.TryDequeue(out pending!))
        {
            Volatile.Write(ref _retryCount, _retry.Count);
            pending.Reset();
            return true;
        }

        if (!_outbox.Reader.TryRead(out var tick))
        {
            return false;
        }

        EndOverflowEpisodeIfDrained();
        Span<byte> buffer = stackalloc byte[TickPayload.MaxLength];
        var length = TickPayload.Encode(tick, buffer);
        pending = new Pending(tick, SubjectOf(tick.Instrument), _identity.Next(tick), buffer[..length].ToArray());
        return true;
    }

    private async ValueTask SendAsync(Pending pending, CancellationToken cancellationToken)
    {
        pending.Reply = ++_nextReply;
        pending.SentAt = _time.GetTimestamp();
        _inFlight[pending.Reply] = pending;
        _order.Enqueue(pending);
        UpdateLag();
        await _connection.PublishAsync(
            pending.Subject,
            pending.Payload,
            new NatsHeaders { [MsgIdHeader] = pending.Id },
            replyTo: string.Create(CultureInfo.InvariantCulture, $"{_inbox}.{pending.Reply}"),
            serializer: NatsRawSerializer<byte[]>.Default,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Retires acknowledged ticks in publish order; a failure or a timeout sends the rest of the window again.</summary>
    private void Settle()
    {
        while (_order.TryPeek(out var oldest))
        {
            var state = oldest.State;
            if (state == Pending.Acked)
            {
                _order.Dequeue();
                continue;
            }

            if (state == Pending.Failed)
            {
                Log.PublishFailed(_logger, _lastError ?? "error answer", _order.Count);
                RequeueInFlight(null);
                break;
            }

            if (_time.GetElapsedTime(oldest.SentAt) >= _options.AckTimeout)
            {
                Interlocked.Add(ref _errors, _order.Count);
                RecordError($"no acknowledgement from JetStream within {_options.AckTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
                Log.PublishFailed(_logger, _lastError!, _order.Count);
                RequeueInFlight(null);
            }

            break;
        }

        UpdateLag();
    }

    private void LoseConnection(string reason, Pending? unsent)
    {
        _ready = false;
        RecordError("NATS connection: " + reason);
        Log.PublisherDisconnected(_logger, _options.Connection.DisplayUrl, reason, _options.BufferCapacity);
        RequeueInFlight(unsent);
    }

    /// <summary>Everything not yet acknowledged goes back to the front, in its original order (same ids: JetStream keeps one copy).</summary>
    private void RequeueInFlight(Pending? unsent)
    {
        var again = new Queue<Pending>();
        foreach (var pending in _order)
        {
            _inFlight.TryRemove(pending.Reply, out _);
            if (pending.State != Pending.Acked)
            {
                again.Enqueue(pending);
            }
        }

        _order.Clear();
        if (unsent is not null)
        {
            _inFlight.TryRemove(unsent.Reply, out _);
            again.Enqueue(unsent);
        }

        foreach (var pending in _retry)
        {
            again.Enqueue(pending);
        }

        _retry = again;
        Volatile.Write(ref _retryCount, _retry.Count);
    }

    private void UpdateLag()
    {
        long oldest = 0;
        if (_order.TryPeek(out var sent))
        {
            oldest = sent.Tick.ReceiveTimeUtcTicks;
        }
        else if (_retry.TryPeek(out var again))
        {
            oldest = again.Tick.ReceiveTimeUtcTicks;
        }
        else if (_outbox.Reader.TryPeek(out var waiting))
        {
            oldest = waiting.ReceiveTimeUtcTicks;
        }

        Volatile.Write(ref _oldestUnackedTicks, oldest);
    }

    private async Task WaitAsync(bool acksOnly, CancellationToken cancellationToken)
    {
        UpdateLag();
        using var wakeOrTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(IdleWait, _time, wakeOrTimeout.Token);
        var woken = _wake.Reader.WaitToReadAsync(wakeOrTimeout.Token).AsTask();
        var waits = acksOnly ? [delay, woken] : new[] { delay, woken, _outbox.Reader.WaitToReadAsync(wakeOrTimeout.Token).AsTask() };
        await Task.WhenAny(waits).ConfigureAwait(false);
        await wakeOrTimeout.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(waits).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        _wake.Reader.TryRead(out _);
    }

    private async Task ReadAcksAsync(INatsSub<byte[]> acks, CancellationToken cancellationToken)
    {
        await using (acks.ConfigureAwait(false))
        {
            try
            {
                await foreach (var msg in acks.Msgs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    var dot = msg.Subject.LastIndexOf('.');
                    if (!long.TryParse(msg.Subject.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var reply)
                        || !_inFlight.TryRemove(reply, out var pending))
                    {
                        continue;
                    }

                    var (ok, duplicate, error) = ReadAck(msg);
                    if (ok && pending.TrySettle(Pending.Acked))
                    {
                        Interlocked.Increment(ref duplicate ? ref _duplicates : ref _published);
                    }
                    else if (!ok && pending.TrySettle(Pending.Failed))
                    {
                        Interlocked.Increment(ref _errors);
                        RecordError(error!);
                    }

                    _wake.Writer.TryWrite(true);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>A JetStream publish answer: <c>{"stream":..,"seq":..,"duplicate":true}</c> or <c>{"error":{"description":..}}</c>.</summary>
    internal static (bool Ok, bool Duplicate, string? Error) ReadAck(NatsMsg<byte[]> msg)
    {
        if (msg.HasNoResponders)
        {
            return (false, false, "no stream answered (NATS no responders)");
        }

        if (msg.Data is not { Length: > 0 } data)
        {
            return (false, false, "empty acknowledgement");
        }

        try
        {
            using var json = JsonDocument.Parse(data);
            var root = json.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                var description = error.TryGetProperty("description", out var d) ? d.GetString() : error.ToString();
                return (false, false, "JetStream: " + description);
            }

            return (true, root.TryGetProperty("duplicate", out var dup) && dup.ValueKind == JsonValueKind.True, null);
        }
        catch (JsonException)
        {
            return (false, false, "unreadable acknowledgement");
        }
    }
}
