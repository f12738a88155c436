namespace SyncServer.Web.Components.Charts;

/// <summary>The charts' log lines (tag HttpSv).</summary>
internal static partial class ChartLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Chart {Chart}: {Function} failed in the browser: {Message}")]
    public static partial void CallFailed(ILogger logger, string function, string chart, string message);
}
