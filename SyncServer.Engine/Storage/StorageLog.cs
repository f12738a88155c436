using Microsoft.Extensions.Logging;

namespace SyncServer.Engine.Storage;

/// <summary>The storage log messages (category <see cref="Logging.LogTags.Storage"/>), as source-generated log methods.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Sync filter index rebuilt for {Properties} properties: {Entries} entries")]
    public static partial void FilterIndexBuilt(ILogger logger, int properties, long entries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Opening database {Path}")]
    public static partial void Opening(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Database {Path}: schema version {Version}, page size {PageSize}, size {Size}, limit {Limit}")]
    public static partial void Opened(ILogger logger, string path, long version, long pageSize, ByteSize size, ByteSize limit);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Database {Path}: schema version {Version}, page size {PageSize}, size {Size}, no size limit")]
    public static partial void OpenedUnlimited(ILogger logger, string path, long version, long pageSize, ByteSize size);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Migrating database {Path} to schema version {Version}")]
    public static partial void Migrating(ILogger logger, string path, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint of {Path} at close failed; SQLite finishes it at the next open")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closed database {Path}")]
    public static partial void Closed(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Integrity check of {Path} (PRAGMA quick_check) passed in {Milliseconds} ms")]
    public static partial void IntegrityChecked(ILogger logger, string path, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Integrity check of {Path} skipped (--skip-integrity-check)")]
    public static partial void IntegrityCheckSkipped(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}: writes are refused until there is room again; logins and reads go on")]
    public static partial void WritesRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Path} accepts writes again")]
    public static partial void WritesResumed(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Database {Path} is damaged: restore from a backup. Writes are refused from now on; "
        + "reads go on as far as they can ({Detail})")]
    public static partial void Damaged(ILogger logger, string path, string detail);
}
