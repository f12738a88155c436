using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SyncServer.Engine.Logging;

/// <summary>Wires logging to print ObjectBox-style lines, filtered by a runtime-changeable <see cref="LogLevelSwitch"/>.</summary>
public static class ObxLoggingBuilderExtensions
{
    /// <summary>
    /// Replaces all logging providers with the console logger using <see cref="ObxConsoleFormatter"/>, and filters every
    /// entry through <paramref name="levelSwitch"/>. The filter is evaluated on every call, so changing
    /// <see cref="LogLevelSwitch.Level"/> affects existing loggers, as long as no more specific filter rule exists
    /// (rules from configuration are cleared for that reason). Also registers <paramref name="levelSwitch"/> as a singleton service,
    /// unless one is registered already.
    /// </summary>
    public static ILoggingBuilder AddObxConsole(this ILoggingBuilder builder, LogLevelSwitch levelSwitch)
    {
        AddCommon(builder, levelSwitch);
        builder.AddConsole(o => o.FormatterName = ObxConsoleFormatter.FormatterName);
        builder.AddConsoleFormatter<ObxConsoleFormatter, ObxConsoleFormatterOptions>();
        return builder;
    }

    /// <summary>
    /// Like <see cref="AddObxConsole(ILoggingBuilder, LogLevelSwitch)"/>, but writes the lines to
    /// <paramref name="output"/> instead of the console (synchronously, one lock around each entry).
    /// </summary>
    public static ILoggingBuilder AddObxConsole(this ILoggingBuilder builder, LogLevelSwitch levelSwitch, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        AddCommon(builder, levelSwitch);
        builder.Services.AddOptions<ObxConsoleFormatterOptions>();
        builder.Services.AddSingleton<ILoggerProvider>(services => new ObxTextWriterLoggerProvider(
            output,
            new ObxConsoleFormatter(services.GetRequiredService<IOptionsMonitor<ObxConsoleFormatterOptions>>())));
        return builder;
    }

    private static void AddCommon(ILoggingBuilder builder, LogLevelSwitch levelSwitch)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(levelSwitch);
        builder.ClearProviders();
        builder.SetMinimumLevel(LogLevel.Trace);
        // The switch is the one authority on levels: drop rules from configuration (Logging:LogLevel:...), which would
        // otherwise win over it for their categories.
        builder.Services.Configure<LoggerFilterOptions>(options => options.Rules.Clear());
        builder.AddFilter((provider, category, level) => levelSwitch.IsEnabled(category, level));
        builder.Services.TryAddSingleton(levelSwitch);
    }
}
