using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace SyncServer.Engine.Logging;

// Singleton, thread-safe: stateless apart from the options monitor; writes only to the TextWriter it is given.

/// <summary>
/// Writes log entries in ObjectBox's console format, one line per entry:
/// <code>
/// 001-13:09:15.6995 [INFO ] [SySvAp] Default configuration file sync-server-config.json not found
/// │   │              │       │        └ message (further message lines and the exception follow, indented)
/// │   │              │       └ tag (LogTags.ForCategory), padded to 6
/// │   │              └ level: TRACE, DEBUG, INFO, WARN or ERROR (Critical too), padded to 5
/// │   └ UTC time HH:mm:ss.ffff
/// └ managed thread number, at least 3 digits
/// </code>
/// No colours, no scopes.
/// </summary>
public sealed class ObxConsoleFormatter : ConsoleFormatter
{
    /// <summary>The name to select this formatter with (<c>ConsoleLoggerOptions.FormatterName</c>).</summary>
    public const string FormatterName = "obx";

    private const string ContinuationIndent = "    ";

    private readonly Func<ObxConsoleFormatterOptions> _options;

    public ObxConsoleFormatter(IOptionsMonitor<ObxConsoleFormatterOptions> options)
        : base(FormatterName)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = () => options.CurrentValue;
    }

    internal ObxConsoleFormatter(ObxConsoleFormatterOptions options)
        : base(FormatterName)
    {
        _options = () => options;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        ArgumentNullException.ThrowIfNull(textWriter);
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception);
        var exception = logEntry.Exception;
        if (message is null && exception is null)
        {
            return;
        }

        Span<char> prefix = stackalloc char[64];
        var length = FormatPrefix(
            prefix,
            Environment.CurrentManagedThreadId,
            _options().TimeProvider.GetUtcNow(),
            logEntry.LogLevel,
            LogTags.ForCategory(logEntry.Category));
        textWriter.Write(prefix[..length]);

        WriteIndented(textWriter, message ?? string.Empty, indentFirstLine: false);
        textWriter.Write('\n');
        if (exception is not null)
        {
            WriteIndented(textWriter, exception.ToString(), indentFirstLine: true);
            textWriter.Write('\n');
        }
    }

    /// <summary>Writes "TTT-HH:mm:ss.ffff [LEVEL] [TAG   ] " into <paramref name="destination"/>; returns its length.</summary>
    internal static int FormatPrefix(Span<char> destination, int threadId, DateTimeOffset time, LogLevel level, string tag)
    {
        var culture = CultureInfo.InvariantCulture;
        threadId.TryFormat(destination, out var length, "D3", culture);
        destination[length++] = '-';
        time.UtcDateTime.TryFormat(destination[length..], out var written, "HH:mm:ss.ffff", culture);
        length += written;
        " [".CopyTo(destination[length..]);
        length += 2;
        LevelText(level).CopyTo(destination[length..]);
        length += 5;
        "] [".CopyTo(destination[length..]);
        length += 3;
        var tagText = tag.AsSpan(0, Math.Min(tag.Length, LogTags.Width));
        tagText.CopyTo(destination[length..]);
        destination.Slice(length + tagText.Length, LogTags.Width - tagText.Length).Fill(' ');
        length += LogTags.Width;
        "] ".CopyTo(destination[length..]);
        return length + 2;
    }

    private static string LevelText(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO ",
        LogLevel.Warning => "WARN ",
        _ => "ERROR",
    };

    // Writes text with "\n" line ends only, indenting every line after the first (and the first if asked).
    private static void WriteIndented(TextWriter writer, string text, bool indentFirstLine)
    {
        var remaining = text.AsSpan().TrimEnd("\r\n");
        var first = true;
        while (true)
        {
            var end = remaining.IndexOfAny('\r', '\n');
            var line = end < 0 ? remaining : remaining[..end];
            if (!first || indentFirstLine)
            {
                writer.Write(ContinuationIndent);
            }

            writer.Write(line);
            if (end < 0)
            {
                return;
            }

            var skip = remaining[end] == '\r' && end + 1 < remaining.Length && remaining[end + 1] == '\n' ? 2 : 1;
            remaining = remaining[(end + skip)..];
            writer.Write('\n');
            first = false;
        }
    }
}
