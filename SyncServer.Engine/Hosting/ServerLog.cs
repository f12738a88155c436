using Microsoft.Extensions.Logging;

namespace SyncServer.Engine.Hosting;

/// <summary>The engine's start-up messages (category <see cref="Logging.LogTags.Server"/>), in ObjectBox's wording.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "INSECURE no-authentication mode enabled - every client allowed without any validation")]
    public static partial void Insecure(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database has no schema, loading from {ModelFile}")]
    public static partial void NoSchemaLoading(ILogger logger, string modelFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model file {ModelFile} loaded, it has {Bytes} bytes")]
    public static partial void ModelLoaded(ILogger logger, string modelFile, int bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model file {ModelFile} matches the current schema version ID {VersionId}")]
    public static partial void ModelUnchanged(ILogger logger, string modelFile, int versionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model file {ModelFile} ignored: it is the stored schema version ID {StoredVersionId}, "
        + "not the current schema version ID {CurrentVersionId}; the current version stands (switch versions in the admin UI)")]
    public static partial void ModelIsStoredVersion(ILogger logger, string modelFile, int storedVersionId, int currentVersionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting the server with a schema version ID {VersionId}")]
    public static partial void Starting(ILogger logger, int versionId);
}
