using System.Runtime.CompilerServices;
using FeedGuard.Instruments;
using FeedGuard.Nats.Connection;
using FeedGuard.Nats.Payload;
using FeedGuard.Ticks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace FeedGuard.Nats.Consuming;

/// <summary>
/// Reads the ticks gateways published to JetStream, on any machine, as the same <see cref="Tick"/>
/// in-process consumers get: each tick once (JetStream removed the copies), in order per instrument,
/// with the gateway's receive time, source and every field as published.
/// </summary>
/// <example>
/// <code>
/// await using var consumer = new NatsTickConsumer(new NatsConsumerOptions { Instruments = [InstrumentKey.Parse("NSE:3045")], DurableName = "strategy-1" });
/// await foreach (var tick in consumer.ReadAsync(cancellationToken)) { ... }
/// </code>
/// </example>
public sealed class NatsTickConsumer : IAsyncDisposable
{
    private readonly NatsConsumerOptions _options;
    private readonly ILogger _logger;
    private readonly NatsConnection _connection;
    private long _malformed;
    private long _received;

    /// <summary>Creates a consumer; nothing connects until <see cref="ReadAsync"/>.</summary>
    /// <param name="options">What to read; validated here (throws <see cref="ArgumentException"/> naming every bad setting).</param>
    /// <param name="loggerFactory">Logging. Default none.</param>
    public NatsTickConsumer(NatsConsumerOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid NATS consumer options: " + string.Join(" ", problems), nameof(options));
        }

        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger("FeedGuard.Nats");
        Instruments = new InstrumentRegistry(options.Instruments);
        _connection = NatsConnections.Create(options.Connection, "feedguard-consumer", loggerFactory);
    }

    /// <summary>The instruments ticks refer to (interned: compare by reference).</summary>
    public InstrumentRegistry Instruments { get; }

    /// <summary>Ticks handed to the reader.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages skipped because they were not a tick this build can read.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>
    /// The ticks, until <paramref name="cancellationToken"/> is cancelled. With a durable consumer a
    /// tick is acknowledged when the reader asks for the next one or leaves the loop, so a reader that
    /// stops resumes after the last tick it took (at least once: the tick in hand at a crash comes
    /// again, after the consumer's acknowledgement wait).
    /// </summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <exception cref="NatsException">NATS cannot be reached or the stream does not exist.</exception>
    public async IAsyncEnumerable<Tick> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _connection.ConnectAsync().ConfigureAwait(false);
        var jetStream = new NatsJSContext(_connection);
        var consumer = await CreateConsumerAsync(jetStream, cancellationToken).ConfigureAwait(false);
        var acknowledge = _options.DurableName is not null;
        INatsJSMsg<byte[]>? inHand = null;
        try
        {
            await foreach (var msg in consumer.ConsumeAsync(NatsRawSerializer<byte[]>.Default, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                inHand = msg;
                if (TryDecode(msg.Subject, msg.Data, out var tick))
                {
                    Interlocked.Increment(ref _received);
                    yield return tick;
                }

                if (acknowledge)
                {
                    inHand = null;
                    await msg.AckAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            // The reader left the loop (break, or cancelled while holding a tick): that tick is done.
            if (acknowledge && inHand is not null)
            {
                await AcknowledgeLastAsync(inHand).ConfigureAwait(false);
            }
        }
    }

    private static async Task AcknowledgeLastAsync(INatsJSMsg<byte[]> msg)
    {
        try
        {
            // Confirmed by the server: the reader may close the connection right after leaving the loop.
            await msg.AckAsync(new AckOpts { DoubleAck = true }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (NatsException)
        {
            // Unacknowledged, it is delivered again after the consumer's ack wait: at least once.
        }
    }

    /// <summary>Closes the connection (a durable consumer stays on the server for the next run).</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<INatsJSConsumer> CreateConsumerAsync(NatsJSContext jetStream, CancellationToken cancellationToken)
    {
        // One instrument filters on the server; several share the prefix wildcard and are filtered here,
        // because the multi-subject filter needs nats-server 2.10 and Debian ships 2.9.
        var filter = _options.Instruments.Count == 1
            ? TickSubjects.For(_options.SubjectPrefix, _options.Instruments[0])
            : TickSubjects.All(_options.SubjectPrefix);
        var deliver = _options.Start switch
        {
            NatsConsumerStart.New => ConsumerConfigDeliverPolicy.New,
            NatsConsumerStart.LastPerInstrument => ConsumerConfigDeliverPolicy.LastPerSubject,
            _ => ConsumerConfigDeliverPolicy.All,
        };

        if (_options.DurableName is { } durable)
        {
            var config = new ConsumerConfig(durable) { FilterSubject = filter, AckPolicy = ConsumerConfigAckPolicy.Explicit, DeliverPolicy = deliver };
            // Nothing acknowledged yet (next is 1): the recreated durable starts where Start says.
            if (await ResumePointAsync(jetStream, durable, cancellationToken).ConfigureAwait(false) is { } next && next > 1)
            {
                config.DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence;
                config.OptStartSeq = next;
            }

            return await jetStream.CreateOrUpdateConsumerAsync(_options.Stream, config, cancellationToken).ConfigureAwait(false);
        }

        return await jetStream.CreateOrderedConsumerAsync(
            _options.Stream,
            new NatsJSOrderedConsumerOpts { FilterSubjects = [filter], DeliverPolicy = deliver },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The stream sequence to resume at when the previous run left ticks delivered but unacknowledged
    /// (prefetched by the client, or in hand at a crash), or null when the durable can simply go on.
    /// The server would hand those out again only after its acknowledgement wait, after newer ticks:
    /// a hole, then ticks out of order. Recreating the durable at the first unacknowledged tick avoids
    /// both. One reader per durable name.
    /// </summary>
    private async Task<ulong?> ResumePointAsync(NatsJSContext jetStream, string durable, CancellationToken cancellationToken)
    {
        INatsJSConsumer existing;
        try
        {
            existing = await jetStream.GetConsumerAsync(_options.Stream, durable, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            return null;
        }

        var info = existing.Info;
        if (info.NumAckPending == 0)
        {
            return null;
        }

        await jetStream.DeleteConsumerAsync(_options.Stream, durable, cancellationToken).ConfigureAwait(false);
        return info.AckFloor.StreamSeq + 1;
    }

    private bool TryDecode(string subject, byte[]? data, out Tick tick)
    {
        tick = default;
        var error = "empty message";
        if (data is not null && TickPayload.TryReadInstrument(data, out var exchange, out var token, out error))
        {
            // Another instrument under the shared wildcard is not malformed, just not asked for.
            if (!Instruments.TryGet(exchange, token, out var instrument))
            {
                return false;
            }

            if (TickPayload.TryDecode(data, instrument, out tick, out error))
            {
                return true;
            }
        }

        var count = Interlocked.Increment(ref _malformed);
        if (count == 1 || count % 1000 == 0)
        {
            Log.ConsumerMalformed(_logger, subject, error, count);
        }

        return false;
    }
}
