using FeedGuard.Server.Cli;

return await FeedGuardCli.InvokeAsync(args).ConfigureAwait(false);
