namespace SyncServer.Engine.Stats;

/// <summary>The counters <see cref="SyncStatistics"/> keeps as Interlocked totals; the index into its totals array.</summary>
internal enum StatCounter
{
    MessagesIn,
    MessagesOut,
    MessageBytesIn,
    MessageBytesOut,
    TxsAppliedClient,
    TxsAppliedLocal,
    TxsAppliedBytes,
    TxsAppliedOperations,
    TxsDuplicates,
    PutConflicts,
    ClientsConnects,
    TxsSentHistoric,
    TxsSentLive,
    FullSyncs,
    FailuresLogin,
    FailuresSend,
    FailuresDisconnected,
    FailuresHeartbeat,
    FailuresStalled,
    ErrorsProtocol,
    ErrorsHandler,
    FilterFilteredOut,
    FilterRefusals,
}
