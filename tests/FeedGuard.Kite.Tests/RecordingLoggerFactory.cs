using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FeedGuard.Kite.Tests;

/// <summary>Records every formatted log line (with its exception text) so tests can look for secrets.</summary>
internal sealed class RecordingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<(int EventId, string Text)> Lines { get; } = new();

    public string AllText => string.Join("\n", Lines.Select(l => l.Text));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                text += " | " + string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));
            }

            owner.Lines.Enqueue((eventId.Id, exception is null ? text : text + "\n" + exception));
        }
    }
}
