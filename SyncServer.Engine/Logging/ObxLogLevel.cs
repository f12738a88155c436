using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace SyncServer.Engine.Logging;

/// <summary>
/// ObjectBox's log level names (<c>--log-level</c>) and their <see cref="LogLevel"/> equivalents:
/// all, trace, verbose -> Trace; debug -> Debug; info -> Information; warn -> Warning; error -> Error; none -> None.
/// </summary>
public static class ObxLogLevel
{
    /// <summary>The accepted names, in order of increasing severity.</summary>
    public static IReadOnlyList<string> Names { get; } = ["all", "trace", "verbose", "debug", "info", "warn", "error", "none"];

    /// <summary>Parses an ObjectBox level name (case-insensitive, surrounding spaces ignored).</summary>
    /// <exception cref="FormatException">The name is not one of <see cref="Names"/>; the message lists them.</exception>
    public static LogLevel Parse(string? name) =>
        TryParse(name, out var level, out var error) ? level : throw new FormatException(error);

    public static bool TryParse(string? name, out LogLevel level) => TryParse(name, out level, out _);

    /// <summary>Parses an ObjectBox level name; on failure <paramref name="error"/> names the text and lists the valid names.</summary>
    public static bool TryParse(string? name, out LogLevel level, [NotNullWhen(false)] out string? error)
    {
        error = null;
        switch (name?.Trim().ToUpperInvariant())
        {
            case "ALL" or "TRACE" or "VERBOSE":
                level = LogLevel.Trace;
                return true;
            case "DEBUG":
                level = LogLevel.Debug;
                return true;
            case "INFO":
                level = LogLevel.Information;
                return true;
            case "WARN":
                level = LogLevel.Warning;
                return true;
            case "ERROR":
                level = LogLevel.Error;
                return true;
            case "NONE":
                level = LogLevel.None;
                return true;
            default:
                level = LogLevel.None;
                error = $"Unknown log level '{name}'; valid levels are: {string.Join(", ", Names)}";
                return false;
        }
    }

    /// <summary>The ObjectBox name of a level (Critical has none of its own and prints as "error").</summary>
    public static string ToName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error or LogLevel.Critical => "error",
        LogLevel.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Not a log level"),
    };
}
