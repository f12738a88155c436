using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Sync.Sessions;

/// <summary>
/// The sessions' log messages (category <see cref="Logging.LogTags.Sync"/>). Everything per client is Debug: Info says
/// nothing per client (docs/protocol.md). Client 0 means "not logged in yet".
/// </summary>
internal static partial class SessionLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection from {RemoteAddress}")]
    public static partial void Connected(ILogger logger, string remoteAddress);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection from {RemoteAddress} (client {ClientNumber}) closed: {Status} {Description}")]
    public static partial void Disconnected(ILogger logger, string remoteAddress, uint clientNumber, WebSocketCloseStatus status, string description);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Received {Type} ({Length} bytes) from {RemoteAddress} (client {ClientNumber})")]
    public static partial void Received(ILogger logger, string remoteAddress, uint clientNumber, MessageType type, int length);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Login OK from {RemoteAddress}: client {ClientNumber}, schema version ID {SchemaVersion}, mode {Mode}, position {Position}, last TX ID {LastTxId}, head {Head}")]
    public static partial void LoggedIn(
        ILogger logger, string remoteAddress, uint clientNumber, int schemaVersion, RequestUpdatesMode mode, ulong position, ulong lastTxId, ulong head);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Login from {RemoteAddress} refused with {Code} {CodeName}: {Text}")]
    public static partial void LoginRefused(ILogger logger, string remoteAddress, int code, LoginResultCode codeName, string text);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Applied TX {ClientTxId} of client {ClientNumber}: position {Position}, {OpCount} ops, {Status}, {PutConflicts} put conflicts")]
    public static partial void TxApplied(
        ILogger logger, uint clientNumber, ulong clientTxId, ulong position, int opCount, AckStatus status, int putConflicts);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent ACK_TX {ClientTxId} to client {ClientNumber}: position {Position}, {Status}")]
    public static partial void Acked(ILogger logger, uint clientNumber, ulong clientTxId, ulong position, AckStatus status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent a correction for TX {ClientTxId} to client {ClientNumber}: {OpCount} ops")]
    public static partial void CorrectionSent(ILogger logger, uint clientNumber, ulong clientTxId, int opCount);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Pushed TXS ({Kind}) to client {ClientNumber}: {TxCount} TXs, positions {First} to {Last}, {Bytes} bytes")]
    public static partial void TxsSent(ILogger logger, uint clientNumber, string kind, int txCount, ulong first, ulong last, int bytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {ClientNumber}: {Command}")]
    public static partial void UpdatesCommandQueued(ILogger logger, uint clientNumber, SyncSession.UpdatesCommand command);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent UPDATES_COMPLETE to client {ClientNumber} at position {Position}")]
    public static partial void UpdatesComplete(ILogger logger, uint clientNumber, ulong position);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Full sync for client {ClientNumber} (position {Position}) from snapshot at position {SnapshotPosition}")]
    public static partial void FullSyncBegin(ILogger logger, uint clientNumber, ulong position, ulong snapshotPosition);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Full sync for client {ClientNumber} done at position {SnapshotPosition}: {Messages} messages, {OpCount} ops")]
    public static partial void FullSyncEnd(ILogger logger, uint clientNumber, ulong snapshotPosition, int messages, int opCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sending ERROR {Code} to {RemoteAddress} (client {ClientNumber}, TX {ClientTxId}): {Text}")]
    public static partial void Error(ILogger logger, string remoteAddress, uint clientNumber, ErrorCode code, ulong clientTxId, string text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {ClientNumber} at {RemoteAddress} sent ERROR {Code}: {Text}")]
    public static partial void ClientError(ILogger logger, string remoteAddress, uint clientNumber, ErrorCode code, string text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection from {RemoteAddress} (client {ClientNumber}) failed: {Reason}")]
    public static partial void SocketFailed(ILogger logger, string remoteAddress, uint clientNumber, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session {Loop} loop of {RemoteAddress} (client {ClientNumber}) failed; the session is closed")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string loop, string remoteAddress, uint clientNumber);

    [LoggerMessage(Level = LogLevel.Error, Message = "TX {ClientTxId} of client {ClientNumber} at {RemoteAddress} could not be applied")]
    public static partial void TxFailed(ILogger logger, Exception exception, string remoteAddress, uint clientNumber, ulong clientTxId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection from {RemoteAddress} (client {ClientNumber}) dropped: {Reason}")]
    public static partial void Evicted(ILogger logger, string remoteAddress, uint clientNumber, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connection from {RemoteAddress} refused: {Count} sync connections are open (maxConnections {Max})")]
    public static partial void TooManyConnections(ILogger logger, string remoteAddress, int count, int max);

    [LoggerMessage(Level = LogLevel.Error, Message = "The deadline check of the session of {RemoteAddress} failed")]
    public static partial void WatchdogFailed(ILogger logger, Exception exception, string remoteAddress);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Session {Loop} loop of {RemoteAddress} (client {ClientNumber}) ends: {Problem}")]
    public static partial void StorageUnavailable(ILogger logger, string loop, string remoteAddress, uint clientNumber, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {ClientNumber}: its earlier sync filters no longer fit the model ({Problem}); it gets a full sync")]
    public static partial void FilterChangeNeedsFullSync(ILogger logger, uint clientNumber, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {ClientNumber}: its store matches its sync filters as of position {Position}; state stored")]
    public static partial void FilterStateStored(ILogger logger, uint clientNumber, ulong position);

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Client {ClientNumber}: sync filters changed, delta from position {From} at snapshot {Snapshot}: {Puts} puts, {Removes} removes")]
    public static partial void FilterDeltaSent(ILogger logger, uint clientNumber, ulong from, ulong snapshot, int puts, int removes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TX {ClientTxId} of client {ClientNumber} refused by its sync filter: {Reason}")]
    public static partial void TxRefused(ILogger logger, uint clientNumber, ulong clientTxId, string reason);
}
