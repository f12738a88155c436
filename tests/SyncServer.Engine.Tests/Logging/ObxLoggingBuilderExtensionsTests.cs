using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using SyncServer.Engine.Logging;

namespace SyncServer.Engine.Tests.Logging;

public class ObxLoggingBuilderExtensionsTests
{
    private static readonly DateTimeOffset Time = new(2026, 11, 26, 8, 0, 1, 250, TimeSpan.Zero);

    [Fact]
    public void Switching_the_level_at_runtime_affects_an_existing_console_logger()
    {
        var levelSwitch = new LogLevelSwitch(LogLevel.Information);
        using var factory = LoggerFactory.Create(builder => builder.AddObxConsole(levelSwitch));
        var logger = factory.CreateLogger(LogTags.Sync);
        var framework = factory.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware");

        Assert.False(logger.IsEnabled(LogLevel.Debug));
        Assert.True(logger.IsEnabled(LogLevel.Information));
        Assert.False(framework.IsEnabled(LogLevel.Information));

        levelSwitch.Level = LogLevel.Debug;
        Assert.True(logger.IsEnabled(LogLevel.Debug));
        Assert.False(logger.IsEnabled(LogLevel.Trace));
        Assert.False(framework.IsEnabled(LogLevel.Information));

        levelSwitch.Level = LogLevel.Trace;
        Assert.True(logger.IsEnabled(LogLevel.Trace));
        Assert.True(framework.IsEnabled(LogLevel.Information));
        Assert.False(framework.IsEnabled(LogLevel.Debug));

        levelSwitch.Level = LogLevel.Error;
        Assert.False(logger.IsEnabled(LogLevel.Warning));
        Assert.True(logger.IsEnabled(LogLevel.Error));
    }

    [Fact]
    public void Switching_the_level_at_runtime_changes_what_an_existing_logger_writes()
    {
        var levelSwitch = new LogLevelSwitch(LogLevel.Information);
        using var output = new StringWriter();
        using var factory = LoggerFactory.Create(builder =>
        {
            builder.AddObxConsole(levelSwitch, output);
            builder.Services.Configure<ObxConsoleFormatterOptions>(o => o.TimeProvider = new FixedTimeProvider(Time));
        });
        var logger = factory.CreateLogger(LogTags.Storage);

        logger.LogDebug("hidden 1");
        logger.LogInformation("shown 2");
        levelSwitch.Level = LogLevel.Debug;
        logger.LogDebug("shown 3");
        levelSwitch.Level = LogLevel.Warning;
        logger.LogInformation("hidden 4");

        var thread = Environment.CurrentManagedThreadId.ToString("D3", CultureInfo.InvariantCulture);
        Assert.Equal(
            $"{thread}-08:00:01.2500 [INFO ] [DbStor] shown 2\n{thread}-08:00:01.2500 [DEBUG] [DbStor] shown 3\n",
            output.ToString());
    }

    [Fact]
    public void Replaces_other_providers_and_selects_the_obx_formatter()
    {
        var services = new ServiceCollection();
        var levelSwitch = new LogLevelSwitch();
        services.AddLogging(builder =>
        {
            builder.AddSimpleConsole();
            builder.AddObxConsole(levelSwitch);
        });
        using var provider = services.BuildServiceProvider();

        var loggerProvider = Assert.Single(provider.GetServices<ILoggerProvider>());
        Assert.IsType<ConsoleLoggerProvider>(loggerProvider);
        Assert.Equal(ObxConsoleFormatter.FormatterName, provider.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
        Assert.Contains(provider.GetServices<ConsoleFormatter>(), f => f is ObxConsoleFormatter { Name: "obx" });
        Assert.Same(levelSwitch, provider.GetRequiredService<LogLevelSwitch>());
    }

    [Fact]
    public void Writes_lines_that_match_the_obx_format_through_the_whole_pipeline()
    {
        var levelSwitch = new LogLevelSwitch(LogLevel.Trace);
        using var output = new StringWriter();
        using (var factory = LoggerFactory.Create(builder => builder.AddObxConsole(levelSwitch, output)))
        {
            factory.CreateLogger(LogTags.Server).LogInformation("Server started");
            factory.CreateLogger("Microsoft.Hosting.Lifetime").LogInformation("Application started");
            factory.CreateLogger(LogTags.Auth).LogTrace("Checking credentials");
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.Matches(
            new Regex(@"^\d{3}-\d{2}:\d{2}:\d{2}\.\d{4} \[(TRACE|DEBUG|INFO |WARN |ERROR)\] \[.{6}\] .+$"),
            line));
        Assert.EndsWith("[INFO ] [SySvAp] Server started", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("[INFO ] [Host  ] Application started", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("[TRACE] [SvAuth] Checking credentials", lines[2], StringComparison.Ordinal);
    }
}
