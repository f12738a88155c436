using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SyncServer.Engine.Logging;

namespace SyncServer.Engine.Tests.Logging;

public class ObxConsoleFormatterTests
{
    private const string LinePattern = @"^\d{3}-\d{2}:\d{2}:\d{2}\.\d{4} \[(TRACE|DEBUG|INFO |WARN |ERROR)\] \[.{6}\] .+$";

    // 2026-11-26 13:09:15.6995 UTC
    private static readonly DateTimeOffset Time = new DateTimeOffset(2026, 11, 26, 13, 9, 15, 699, TimeSpan.Zero).AddTicks(5_000);

    [Fact]
    public void Writes_a_known_line_exactly()
    {
        var output = Format(LogLevel.Information, LogTags.Server, "Default configuration file sync-server-config.json not found");

        var thread = Environment.CurrentManagedThreadId.ToString("D3", CultureInfo.InvariantCulture);
        Assert.Equal(
            $"{thread}-13:09:15.6995 [INFO ] [SySvAp] Default configuration file sync-server-config.json not found\n",
            output);
    }

    [Theory]
    [InlineData(LogLevel.Trace, "[TRACE]")]
    [InlineData(LogLevel.Debug, "[DEBUG]")]
    [InlineData(LogLevel.Information, "[INFO ]")]
    [InlineData(LogLevel.Warning, "[WARN ]")]
    [InlineData(LogLevel.Error, "[ERROR]")]
    [InlineData(LogLevel.Critical, "[ERROR]")]
    public void Writes_each_level_in_the_obx_columns(LogLevel level, string levelColumn)
    {
        var output = Format(level, LogTags.Sync, "something happened");

        Assert.EndsWith("\n", output, StringComparison.Ordinal);
        var line = output[..^1];
        Assert.DoesNotContain('\n', line);
        var match = Regex.Match(line, LinePattern);
        Assert.True(match.Success, line);
        Assert.Equal(levelColumn, $"[{match.Groups[1].Value}]");
        Assert.Equal("13:09:15.6995", line.Substring(line.IndexOf('-', StringComparison.Ordinal) + 1, 13));
        Assert.EndsWith(" [SvSync] something happened", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Microsoft.Hosting.Lifetime", "[Host  ]")]
    [InlineData("Microsoft.AspNetCore.Server.Kestrel", "[HttpSv]")]
    [InlineData("SyncServer.Web.Program", "[Progra]")]
    [InlineData("", "[      ]")]
    public void Pads_or_cuts_the_tag_to_six_characters(string category, string tagColumn)
    {
        var output = Format(LogLevel.Warning, category, "message");

        Assert.Matches(LinePattern, output.TrimEnd('\n'));
        Assert.Contains($"[WARN ] {tagColumn} message\n", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "001")]
    [InlineData(42, "042")]
    [InlineData(999, "999")]
    [InlineData(1234, "1234")]
    public void Pads_the_thread_number_to_three_digits_and_allows_more(int threadId, string expected)
    {
        Span<char> buffer = stackalloc char[64];
        var length = ObxConsoleFormatter.FormatPrefix(buffer, threadId, Time, LogLevel.Debug, LogTags.Auth);

        Assert.Equal($"{expected}-13:09:15.6995 [DEBUG] [SvAuth] ", buffer[..length].ToString());
    }

    [Fact]
    public void Writes_the_exception_on_indented_lines_after_the_message()
    {
        Exception exception;
        try
        {
            throw new InvalidOperationException("the inner problem");
        }
        catch (InvalidOperationException ex)
        {
            exception = ex;
        }

        var output = Format(LogLevel.Error, LogTags.Storage, "Write failed", exception);

        Assert.EndsWith("\n", output, StringComparison.Ordinal);
        Assert.DoesNotContain('\r', output);
        var lines = output[..^1].Split('\n');
        Assert.Matches(LinePattern, lines[0]);
        Assert.EndsWith("[ERROR] [DbStor] Write failed", lines[0], StringComparison.Ordinal);
        Assert.True(lines.Length >= 3, output);
        Assert.Equal("    System.InvalidOperationException: the inner problem", lines[1]);
        Assert.All(lines.Skip(1), line => Assert.StartsWith("    ", line, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("       at ", StringComparison.Ordinal));
    }

    [Fact]
    public void Indents_further_lines_of_a_multi_line_message()
    {
        var output = Format(LogLevel.Information, LogTags.Schema, "first\r\nsecond\nthird");

        Assert.EndsWith(" [SchVer] first\n    second\n    third\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_nothing_without_message_or_exception()
    {
        var writer = new StringWriter();
        var formatter = new ObxConsoleFormatter(new ObxConsoleFormatterOptions { TimeProvider = new FixedTimeProvider(Time) });
        var entry = new LogEntry<string?>(LogLevel.Information, LogTags.Server, default, null, null, (_, _) => null!);

        formatter.Write(entry, null, writer);

        Assert.Equal(string.Empty, writer.ToString());
    }

    [Fact]
    public void Is_named_obx()
    {
        var formatter = new ObxConsoleFormatter(new ObxConsoleFormatterOptions());

        Assert.Equal("obx", formatter.Name);
        Assert.Equal("obx", ObxConsoleFormatter.FormatterName);
    }

    private static string Format(LogLevel level, string category, string message, Exception? exception = null)
    {
        var formatter = new ObxConsoleFormatter(new ObxConsoleFormatterOptions { TimeProvider = new FixedTimeProvider(Time) });
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(level, category, default, message, exception, (state, _) => state);
        formatter.Write(entry, null, writer);
        return writer.ToString();
    }
}
