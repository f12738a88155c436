namespace SyncServer.Web.Admin;

/// <summary>The admin UI's log lines (tag HttpSv).</summary>
internal static partial class AdminLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "No admin user yet. Create the first one (once) at {Url}")]
    public static partial void SetupUrl(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin user \"{User}\" created from " + AdminUiOptions.AdminUserVariable + "/" + AdminUiOptions.AdminPasswordVariable)]
    public static partial void AdminFromEnvironment(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin user \"{User}\" from " + AdminUiOptions.AdminUserVariable + "/" + AdminUiOptions.AdminPasswordVariable + ": {Done}")]
    public static partial void AdminFromEnvironmentReset(ILogger logger, string user, string done);

    [LoggerMessage(Level = LogLevel.Error, Message = "Admin user \"{User}\" from " + AdminUiOptions.AdminUserVariable + " not created or reset: {Errors}")]
    public static partial void AdminFromEnvironmentFailed(ILogger logger, string user, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "First admin user \"{User}\" created through the setup page; the setup page is closed")]
    public static partial void SetupDone(ILogger logger, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin \"{Admin}\": {Action}")]
    public static partial void UserAction(ILogger logger, string admin, string action);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin login failed for \"{User}\" from {RemoteAddress}{Locked}")]
    public static partial void LoginFailed(ILogger logger, string user, string remoteAddress, string locked);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Admin login for \"{User}\" from {RemoteAddress} refused: the address is blocked")]
    public static partial void LoginRefusedBlocked(ILogger logger, string user, string remoteAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Too many failed admin logins from {Address}; it is blocked for {Seconds} s")]
    public static partial void AddressBlocked(ILogger logger, string address, int seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The admin session of user ID {UserId} could not be revalidated; it is ended")]
    public static partial void SessionCheckFailed(ILogger logger, string userId, Exception exception);
}
