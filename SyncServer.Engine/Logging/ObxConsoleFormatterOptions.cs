using Microsoft.Extensions.Logging.Console;

namespace SyncServer.Engine.Logging;

/// <summary>
/// Options of <see cref="ObxConsoleFormatter"/>. The inherited timestamp and scope settings are ignored: the format is
/// fixed (UTC time, no scopes).
/// </summary>
public sealed class ObxConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>The clock for the time column; tests set a fixed one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
