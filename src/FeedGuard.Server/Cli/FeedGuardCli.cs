using System.CommandLine;

namespace FeedGuard.Server.Cli;

/// <summary>The <c>feedguard</c> command line: <c>run</c> (the default), <c>emulate</c>, <c>status</c>.</summary>
internal static class FeedGuardCli
{
    public static async Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var root = new RootCommand("FeedGuard: a market-data gateway that keeps ticks flowing when a broker's feed fails. With no verb, runs the gateway.");
        RunCommand.Configure(root, error);
        root.Subcommands.Add(RunCommand.Create(error));
        root.Subcommands.Add(EmulateCommand.Create(output, error));
        root.Subcommands.Add(StatusCommand.Create(output, error));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One line naming the bad flag or value; --help shows the rest.
            await error.WriteLineAsync($"feedguard: {parse.Errors[0].Message} (see feedguard --help)").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // The verbs handle Ctrl+C and SIGTERM themselves so they can stop cleanly and exit 0.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null, Output = output, Error = error }).ConfigureAwait(false);
    }
}
