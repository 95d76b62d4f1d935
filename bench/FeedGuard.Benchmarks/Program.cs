using BenchmarkDotNet.Running;

namespace FeedGuard.Benchmarks;

/// <summary>
/// Runs the micro-benchmarks. Pass BenchmarkDotNet's own arguments, for example
/// <c>--filter *Decode*</c> or <c>--job short</c>; with none it asks which classes to run.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
