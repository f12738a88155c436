using Microsoft.Extensions.Logging;
using SyncServer.Engine.Logging;

namespace SyncServer.Engine.Tests.Logging;

public class LogLevelSwitchTests
{
    [Theory]
    [InlineData(LogLevel.Information, LogLevel.Debug, false)]
    [InlineData(LogLevel.Information, LogLevel.Information, true)]
    [InlineData(LogLevel.Information, LogLevel.Critical, true)]
    [InlineData(LogLevel.Debug, LogLevel.Debug, true)]
    [InlineData(LogLevel.Debug, LogLevel.Trace, false)]
    [InlineData(LogLevel.Trace, LogLevel.Trace, true)]
    [InlineData(LogLevel.Error, LogLevel.Warning, false)]
    [InlineData(LogLevel.None, LogLevel.Critical, false)]
    [InlineData(LogLevel.Trace, LogLevel.None, false)]
    public void Engine_categories_log_from_the_switch_level(LogLevel switchLevel, LogLevel level, bool expected)
    {
        var levelSwitch = new LogLevelSwitch(switchLevel);

        Assert.Equal(expected, levelSwitch.IsEnabled(LogTags.Sync, level));
    }

    [Theory]
    [InlineData(LogLevel.Debug, LogLevel.Information, false)]
    [InlineData(LogLevel.Debug, LogLevel.Warning, true)]
    [InlineData(LogLevel.Information, LogLevel.Information, false)]
    [InlineData(LogLevel.Trace, LogLevel.Information, true)]
    [InlineData(LogLevel.Trace, LogLevel.Debug, false)]
    [InlineData(LogLevel.Error, LogLevel.Warning, false)]
    [InlineData(LogLevel.Error, LogLevel.Error, true)]
    [InlineData(LogLevel.None, LogLevel.Critical, false)]
    public void Framework_categories_are_held_at_warning(LogLevel switchLevel, LogLevel level, bool expected)
    {
        var levelSwitch = new LogLevelSwitch(switchLevel);

        Assert.Equal(expected, levelSwitch.IsEnabled("Microsoft.AspNetCore.Routing.EndpointMiddleware", level));
        Assert.Equal(expected, levelSwitch.IsEnabled("System.Net.Http.HttpClient", level));
    }

    [Fact]
    public void Treats_categories_that_only_look_like_framework_ones_as_engine_categories()
    {
        var levelSwitch = new LogLevelSwitch(LogLevel.Debug);

        Assert.True(levelSwitch.IsEnabled("MicrosoftLookalike.Thing", LogLevel.Debug));
        Assert.True(levelSwitch.IsEnabled(null, LogLevel.Debug));
    }

    [Fact]
    public void Raises_changed_once_per_actual_change()
    {
        var levelSwitch = new LogLevelSwitch();
        var seen = new List<LogLevel>();
        levelSwitch.Changed += (sender, level) =>
        {
            Assert.Same(levelSwitch, sender);
            seen.Add(level);
        };

        levelSwitch.Level = LogLevel.Debug;
        levelSwitch.Level = LogLevel.Debug;
        levelSwitch.Level = LogLevel.Error;

        Assert.Equal([LogLevel.Debug, LogLevel.Error], seen);
        Assert.Equal(LogLevel.Error, levelSwitch.Level);
    }

    [Fact]
    public void Starts_at_information_and_rejects_values_that_are_not_levels()
    {
        var levelSwitch = new LogLevelSwitch();

        Assert.Equal(LogLevel.Information, levelSwitch.Level);
        Assert.Throws<ArgumentOutOfRangeException>(() => levelSwitch.Level = (LogLevel)42);
        Assert.Equal(LogLevel.Information, levelSwitch.Level);
    }
}
