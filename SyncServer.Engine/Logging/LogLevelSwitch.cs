using Microsoft.Extensions.Logging;

namespace SyncServer.Engine.Logging;

// Singleton, thread-safe: Level is a volatile field written with Interlocked, so every logging call sees the latest value.

/// <summary>
/// The minimum log level, changeable at runtime (for instance from the admin UI). Engine categories log at
/// <see cref="Level"/> and above. Framework categories (<c>Microsoft.*</c>, <c>System.*</c>) are held at Warning or
/// above, or at <see cref="Level"/> if that is stricter; when <see cref="Level"/> is Trace they log from Information.
/// <see cref="IsEnabled"/> is installed as a logging filter by
/// <see cref="ObxLoggingBuilderExtensions.AddObxConsole(ILoggingBuilder, LogLevelSwitch)"/>.
/// </summary>
public sealed class LogLevelSwitch(LogLevel initialLevel = LogLevel.Information)
{
    private volatile int _level = Validate(initialLevel);

    /// <summary>Raised after <see cref="Level"/> changed, with the new level; not raised when set to the same value.</summary>
    public event EventHandler<LogLevel>? Changed;

    public LogLevel Level
    {
        get => (LogLevel)_level;
        set
        {
            var previous = Interlocked.Exchange(ref _level, Validate(value));
            if (previous != (int)value)
            {
                Changed?.Invoke(this, value);
            }
        }
    }

    /// <summary>Whether a message of <paramref name="level"/> in <paramref name="category"/> is logged.</summary>
    public bool IsEnabled(string? category, LogLevel level)
    {
        if (level == LogLevel.None)
        {
            return false;
        }

        var minimum = Level;
        if (IsFramework(category))
        {
            minimum = minimum == LogLevel.Trace ? LogLevel.Information : (LogLevel)Math.Max((int)minimum, (int)LogLevel.Warning);
        }

        return level >= minimum;
    }

    private static bool IsFramework(string? category) =>
        category is not null
        && (category.StartsWith("Microsoft.", StringComparison.Ordinal)
            || category.StartsWith("System.", StringComparison.Ordinal)
            || category is "Microsoft" or "System");

    private static int Validate(LogLevel level) =>
        level is >= LogLevel.Trace and <= LogLevel.None
            ? (int)level
            : throw new ArgumentOutOfRangeException(nameof(level), level, "Not a log level");
}
