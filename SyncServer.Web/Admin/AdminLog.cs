namespace SyncServer.Web.Admin;

/// <summary>The admin UI's log lines (tag HttpSv).</summary>
internal static partial class AdminLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "No admin user yet. Create the first one (once) at {Url}")]
    public static partial void SetupUrl(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin user \"{User}\" created from " + AdminUiOptions.AdminUserVariable + "/" + AdminUiOptions.AdminPasswordVariable)]
    public static partial void AdminFromEnvironment(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Error, Message = "Admin user from " + AdminUiOptions.AdminUserVariable + " not created: {Errors}")]
    public static partial void AdminFromEnvironmentFailed(ILogger logger, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "First admin user \"{User}\" created through the setup page; the setup page is closed")]
    public static partial void SetupDone(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin \"{Admin}\": {Action}")]
    public static partial void UserAction(ILogger logger, string admin, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin login failed for \"{User}\" from {RemoteAddress}{Locked}")]
    public static partial void LoginFailed(ILogger logger, string user, string remoteAddress, string locked);
}
