using FeedGuard.Hosting.Brokers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace FeedGuard.Hosting.Options;

/// <summary>
/// Builds the immutable <see cref="FeedGuardOptions"/> from configuration and validates them in one
/// place, so <c>ValidateOnStart</c> fails the host with every problem, each naming its key.
/// </summary>
internal sealed class FeedGuardOptionsFactory : IOptionsFactory<FeedGuardOptions>
{
    private readonly IConfiguration _configuration;
    private readonly IEnumerable<IFeedSourceFactory> _brokers;

    public FeedGuardOptionsFactory(IConfiguration configuration, IEnumerable<IFeedSourceFactory> brokers)
    {
        _configuration = configuration;
        _brokers = brokers;
    }

    public FeedGuardOptions Create(string name)
    {
        var options = FeedGuardOptionsReader.Read(_configuration, out var readProblems);
        var problems = new List<string>(readProblems);
        if (System.Enum.IsDefined(options.Broker))
        {
            var factory = _brokers.LastOrDefault(b => b.Broker == options.Broker);
            if (factory is null)
            {
                problems.Add($"{FeedGuardOptions.SectionName}:Broker is {options.Broker}, but {options.Broker} support is not available in this build.");
            }
            else
            {
                problems.AddRange(factory.Validate(options));
            }
        }

        // The core checks what the reader cannot see alone (duplicates, combinations); its keys are
        // relative to the section. Skipped when reading failed, so one mistake is reported once.
        if (readProblems.Count == 0)
        {
            problems.AddRange(options.Feed.Validate().Select(p => $"{FeedGuardOptions.SectionName}:{p}"));
            problems.AddRange(options.Nats?.Validate($"{FeedGuardOptions.SectionName}:Nats:") ?? []);
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(name, typeof(FeedGuardOptions), problems);
        }

        return options;
    }
}
