using Microsoft.Extensions.Logging;

namespace SyncServer.Engine.Schema;

/// <summary>Schema version messages, in ObjectBox's wording (tags SchVer, and SySvAp for the switch).</summary>
internal static partial class SchemaLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Inserted new schema version ID {VersionId}")]
    public static partial void Inserted(ILogger logger, int versionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Switching schema version ID to {VersionId}")]
    public static partial void Switching(ILogger logger, int versionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Update schema version ID {VersionId}: acceptClients := {AcceptClients}")]
    public static partial void AcceptClientsUpdated(ILogger logger, int versionId, string acceptClients);
}
