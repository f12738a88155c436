namespace SyncServer.Web.Hosting;

/// <summary>The host's start-up and shutdown messages, in ObjectBox's wording.</summary>
internal static partial class HostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Message}")]
    public static partial void Info(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}")]
    public static partial void Warning(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Runtime error: {Message}")]
    public static partial void RuntimeError(ILogger logger, string message, Exception? exception = null);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Detail}")]
    public static partial void ErrorDetail(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening on {Host}, port {Port} {Tls}")]
    public static partial void SyncListening(ILogger logger, string host, int port, string tls);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin UI listening on {Url}")]
    public static partial void AdminListening(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Admin UI is off (--admin-off)")]
    public static partial void AdminOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync server started in {Milliseconds} ms")]
    public static partial void Started(ILogger logger, string milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync server stopped")]
    public static partial void Stopped(ILogger logger);
}
