namespace SyncServer.Web.Admin;

// Singleton, thread-safe: forwards to the thread-safe inner factory and loggers.
/// <summary>
/// Loggers that write Information entries at Debug instead (Warning and above unchanged): for framework code that is
/// chatty at Information, such as an authentication handler's "was challenged" on every anonymous request.
/// </summary>
internal sealed class DebugLevelLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new DebugLevelLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <summary>The inner factory belongs to the host; nothing to dispose here.</summary>
    public void Dispose()
    {
    }

    private sealed class DebugLevelLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(Demote(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = Demote(logLevel);
            if (inner.IsEnabled(level))
            {
                inner.Log(level, eventId, state, exception, formatter);
            }
        }

        private static LogLevel Demote(LogLevel level) => level == LogLevel.Information ? LogLevel.Debug : level;
    }
}
