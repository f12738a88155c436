namespace SyncServer.Engine.Stats;

/// <summary>
/// The names of the statistics <see cref="SyncStatistics"/> keeps (its <see cref="SyncStatistics.MetricNames"/>). A
/// Meter instrument with a tag is split into one statistic per tag value (<c>syncserver.txs.applied</c> with
/// <c>source=client</c> is <see cref="TxsAppliedClient"/>). docs/metrics.md maps them to the Prometheus names.
/// </summary>
public static class StatNames
{
    public const string MessagesIn = "messages.in";
    public const string MessagesOut = "messages.out";
    public const string MessageBytesIn = "messages.in.bytes";
    public const string MessageBytesOut = "messages.out.bytes";
    public const string TxsAppliedClient = "txs.applied.client";
    public const string TxsAppliedLocal = "txs.applied.local";
    public const string TxsAppliedBytes = "txs.applied.bytes";
    public const string TxsAppliedOperations = "txs.applied.operations";
    public const string TxsDuplicates = "txs.duplicates";
    public const string PutConflicts = "put.conflicts";
    public const string ClientsConnected = "clients.connected";
    public const string ClientsConnects = "clients.connects";
    public const string ClientsTxsBehindMax = "clients.txs_behind.max";
    public const string ClientsTxsBehindSum = "clients.txs_behind.sum";
    public const string TxsSentHistoric = "txs.sent.historic";
    public const string TxsSentLive = "txs.sent.live";
    public const string FullSyncs = "full_syncs";
    public const string FailuresLogin = "failures.login";
    public const string FailuresSend = "failures.send";
    public const string FailuresDisconnected = "failures.disconnected";
    public const string FailuresHeartbeat = "failures.heartbeat";
    public const string FailuresStalled = "failures.stalled";
    public const string ErrorsProtocol = "errors.protocol";
    public const string ErrorsHandler = "errors.handler";
    public const string FilterFilteredOut = "filter.filtered_out";
    public const string FilterRefusals = "filter.refusals";
    public const string DatabaseSize = "database.size";
    public const string TxLogSize = "txlog.size";
    public const string TxLogEntries = "txlog.entries";
}
