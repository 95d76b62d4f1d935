namespace FeedGuard.Server.Cli;

/// <summary>What <c>feedguard</c> returns.</summary>
internal static class ExitCodes
{
    /// <summary>Ran and stopped cleanly (including after Ctrl+C or SIGTERM).</summary>
    public const int Ok = 0;

    /// <summary>Could not do its job: a port in use, a gateway that did not answer.</summary>
    public const int Failure = 1;

    /// <summary>A bad flag or bad configuration; the one-line error names it.</summary>
    public const int Usage = 2;
}
