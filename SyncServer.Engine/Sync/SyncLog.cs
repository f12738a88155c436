using Microsoft.Extensions.Logging;

namespace SyncServer.Engine.Sync;

/// <summary>The sync engine's log messages (category <see cref="Logging.LogTags.Sync"/>), as source-generated log methods.</summary>
internal static partial class SyncLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "New client number {Number}")]
    public static partial void ClientCreated(ILogger logger, uint number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Confirmed client positions could not be saved; they are retried with the next confirmation")]
    public static partial void AppliedPositionsNotSaved(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Committed {TxCount} transactions ({Duplicates} duplicates, {Failed} failed), txlog head {Head}")]
    public static partial void BatchCommitted(ILogger logger, int txCount, int duplicates, int failed, ulong head);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transaction {ClientTxId} of client {ClientNumber} failed and was not applied")]
    public static partial void TxFailed(ILogger logger, Exception exception, ulong clientTxId, uint clientNumber);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Transaction {ClientTxId} of client {ClientNumber} refused by its sync filter: {Reason}")]
    public static partial void TxRefused(ILogger logger, ulong clientTxId, uint clientNumber, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {TxCount} transactions could not be committed; none was applied")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int txCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A batch of {TxCount} transactions was refused: {Reason}")]
    public static partial void BatchRefused(ILogger logger, int txCount, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sync filter state of client {ClientNumber} could not be saved; it converges again at its next login")]
    public static partial void FilterStateNotSaved(ILogger logger, Exception exception, uint clientNumber);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Transaction writer stopped at txlog head {Head}")]
    public static partial void WriterStopped(ILogger logger, ulong head);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Transaction log pruned: it now starts at position {RetainedFrom}, {SizeBytes} bytes")]
    public static partial void HistoryPruned(ILogger logger, ulong retainedFrom, long sizeBytes);
}
