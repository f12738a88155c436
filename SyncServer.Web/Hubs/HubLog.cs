namespace SyncServer.Web.Hubs;

/// <summary>The hubs' log lines (tag HttpSv).</summary>
internal static partial class HubLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Statistics tick not sent to the stats hub: {Message}")]
    public static partial void TickFailed(ILogger logger, string message);
}
