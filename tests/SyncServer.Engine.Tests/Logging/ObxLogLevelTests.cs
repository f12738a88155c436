using Microsoft.Extensions.Logging;
using SyncServer.Engine.Logging;

namespace SyncServer.Engine.Tests.Logging;

public class ObxLogLevelTests
{
    [Theory]
    [InlineData("all", LogLevel.Trace)]
    [InlineData("trace", LogLevel.Trace)]
    [InlineData("verbose", LogLevel.Trace)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("none", LogLevel.None)]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData(" Warn ", LogLevel.Warning)]
    public void Parses_each_objectbox_name(string name, LogLevel expected)
    {
        Assert.Equal(expected, ObxLogLevel.Parse(name));
        Assert.True(ObxLogLevel.TryParse(name, out var level));
        Assert.Equal(expected, level);
    }

    [Theory]
    [InlineData("loud")]
    [InlineData("information")]
    [InlineData("")]
    [InlineData(null)]
    public void Rejects_an_unknown_name_listing_the_valid_ones(string? name)
    {
        var ex = Assert.Throws<FormatException>(() => ObxLogLevel.Parse(name));

        Assert.Equal(
            $"Unknown log level '{name}'; valid levels are: all, trace, verbose, debug, info, warn, error, none",
            ex.Message);
        Assert.False(ObxLogLevel.TryParse(name, out _, out var error));
        Assert.Equal(ex.Message, error);
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trace")]
    [InlineData(LogLevel.Debug, "debug")]
    [InlineData(LogLevel.Information, "info")]
    [InlineData(LogLevel.Warning, "warn")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Critical, "error")]
    [InlineData(LogLevel.None, "none")]
    public void Names_a_level_the_objectbox_way(LogLevel level, string expected)
    {
        var name = ObxLogLevel.ToName(level);

        Assert.Equal(expected, name);
        Assert.Equal(level == LogLevel.Critical ? LogLevel.Error : level, ObxLogLevel.Parse(name));
    }
}
