using FeedGuard.Instruments;
using FeedGuard.Nats.Connection;

namespace FeedGuard.Nats.Consuming;

/// <summary>What a <see cref="NatsTickConsumer"/> reads and how.</summary>
public sealed record NatsConsumerOptions
{
    /// <summary>Server and credentials.</summary>
    public NatsConnectionSettings Connection { get; init; } = new();

    /// <summary>The stream the gateways publish into. Default <c>FEEDGUARD_TICKS</c>.</summary>
    public string Stream { get; init; } = TickSubjects.DefaultStream;

    /// <summary>The gateways' subject prefix. Default <c>feedguard.ticks</c>.</summary>
    public string SubjectPrefix { get; init; } = TickSubjects.DefaultPrefix;

    /// <summary>The instruments to read (at least one); ticks come back with these keys' symbols.</summary>
    public IReadOnlyList<InstrumentKey> Instruments { get; init; } = [];

    /// <summary>
    /// A durable consumer's name: the server remembers what was acknowledged, so a restarted reader
    /// resumes after the last tick it processed. Null (the default) reads through an ephemeral ordered
    /// consumer that the server forgets when the reader goes away.
    /// </summary>
    public string? DurableName { get; init; }

    /// <summary>Where a new consumer starts. Default <see cref="NatsConsumerStart.All"/>; a durable consumer that exists resumes instead.</summary>
    public NatsConsumerStart Start { get; init; } = NatsConsumerStart.All;

    /// <summary>Every problem, each naming its key under <paramref name="prefix"/>.</summary>
    public IEnumerable<string> Validate(string prefix = "")
    {
        foreach (var problem in Connection.Validate(prefix).Concat(TickSubjects.Problems(prefix, Stream, SubjectPrefix)))
        {
            yield return problem;
        }

        if (Instruments is not { Count: > 0 })
        {
            yield return $"{prefix}Instruments must name at least one instrument.";
        }

        if (DurableName is not null && (DurableName.Length == 0 || !DurableName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
        {
            yield return $"{prefix}DurableName must be letters, digits, '_' or '-' (got '{DurableName}').";
        }

        if (!Enum.IsDefined(Start))
        {
            yield return $"{prefix}Start must be one of {string.Join(", ", Enum.GetNames<NatsConsumerStart>())}.";
        }
    }
}
