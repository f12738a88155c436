using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace SyncServer.Engine.Logging;

// Singleton, thread-safe: entries are formatted and written to the TextWriter under one lock, so lines never interleave.

/// <summary>Writes log entries with <see cref="ObxConsoleFormatter"/> to a <see cref="TextWriter"/> (tests, log capture).</summary>
[ProviderAlias("ObxWriter")]
internal sealed class ObxTextWriterLoggerProvider(TextWriter output, ObxConsoleFormatter formatter) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
        lock (_gate)
        {
            output.Flush();
        }
    }

    private void Write<TState>(in LogEntry<TState> entry)
    {
        lock (_gate)
        {
            formatter.Write(entry, scopeProvider: null, output);
            output.Flush();
        }
    }

    private sealed class Logger(ObxTextWriterLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
            }
        }
    }
}
