namespace SyncServer.Engine.Stats;

public sealed partial class SyncStatistics
{
    // Every statistic, in MetricNames order, with how to read its total (counters) or current value (gauges).
    private static readonly StatDefinition[] Definitions =
    [
        Counter(StatNames.MessagesIn, "{message}", "Sync protocol messages received", StatCounter.MessagesIn),
        Counter(StatNames.MessagesOut, "{message}", "Sync protocol messages sent", StatCounter.MessagesOut),
        Counter(StatNames.MessageBytesIn, "By", "Bytes of the sync protocol messages received", StatCounter.MessageBytesIn),
        Counter(StatNames.MessageBytesOut, "By", "Bytes of the sync protocol messages sent", StatCounter.MessageBytesOut),
        Counter(StatNames.TxsAppliedClient, "{tx}", "Transactions from clients applied (not counting duplicates)", StatCounter.TxsAppliedClient),
        Counter(StatNames.TxsAppliedLocal, "{tx}", "Transactions of the server itself applied (admin edits)", StatCounter.TxsAppliedLocal),
        Counter(StatNames.TxsAppliedBytes, "By", "Bytes of the operations applied transactions wrote to the txlog", StatCounter.TxsAppliedBytes),
        Counter(StatNames.TxsAppliedOperations, "{operation}", "Operations applied transactions changed something with (written to the txlog)", StatCounter.TxsAppliedOperations),
        Counter(StatNames.TxsDuplicates, "{tx}", "Transactions recognised as duplicates (resends) and not applied again", StatCounter.TxsDuplicates),
        Counter(StatNames.PutConflicts, "{operation}", "Puts that lost a conflict (docs/conflicts.md)", StatCounter.PutConflicts),
        Gauge(StatNames.ClientsConnected, "{client}", "Clients connected and logged in", s => s._clients.Count),
        Counter(StatNames.ClientsConnects, "{client}", "Successful logins", StatCounter.ClientsConnects),
        Gauge(StatNames.ClientsTxsBehindMax, "{tx}", "How far the furthest-behind connected client lags: txlog head minus its position", s => s.Behind().Max),
        Gauge(StatNames.ClientsTxsBehindSum, "{tx}", "The lag of all connected clients added up", s => s.Behind().Total),
        Counter(StatNames.TxsSentHistoric, "{tx}", "Transactions sent to clients in a catch-up (TXS historic=1)", StatCounter.TxsSentHistoric),
        Counter(StatNames.TxsSentLive, "{tx}", "Transactions pushed to clients live (TXS historic=0)", StatCounter.TxsSentLive),
        Counter(StatNames.FullSyncs, "{sync}", "Full syncs started", StatCounter.FullSyncs),
        Counter(StatNames.FailuresLogin, "{failure}", "Logins refused", StatCounter.FailuresLogin),
        Counter(StatNames.FailuresSend, "{failure}", "Sessions ended because writing to the socket failed", StatCounter.FailuresSend),
        Counter(StatNames.FailuresDisconnected, "{failure}", "Sessions ended because the connection dropped without a close handshake", StatCounter.FailuresDisconnected),
        Counter(StatNames.FailuresHeartbeat, "{failure}", "Sessions closed because nothing arrived for the heartbeat timeout", StatCounter.FailuresHeartbeat),
        Counter(StatNames.FailuresStalled, "{failure}", "Sessions dropped because the client stopped reading (nothing accepted for the send timeout)", StatCounter.FailuresStalled),
        Counter(StatNames.ErrorsProtocol, "{error}", "ERROR messages sent for protocol violations (bad message, bad transaction, ...)", StatCounter.ErrorsProtocol),
        Counter(StatNames.ErrorsHandler, "{error}", "ERROR Internal sent: a session's handler failed", StatCounter.ErrorsHandler),
        Counter(StatNames.FilterFilteredOut, "{object}", "Objects left out of deliveries (or sent as REMOVE) because the client's sync filter does not match them", StatCounter.FilterFilteredOut),
        Counter(StatNames.FilterRefusals, "{tx}", "Transactions refused because they write what the sender's sync filter does not allow (ERROR PermissionDenied)", StatCounter.FilterRefusals),
        Gauge(StatNames.DatabaseSize, "By", "Size of the database (page count times page size), sampled once a second", s => Volatile.Read(ref s._databaseSizeBytes)),
        Gauge(StatNames.TxLogSize, "By", "Size of the transaction log: encoded operations plus 32 bytes per entry (as historySizeMaxKb counts)", s => s.TxLogBytes()),
        Gauge(StatNames.TxLogEntries, "{tx}", "Transactions in the txlog (head minus first retained position, plus one)", s => s.TxLogEntries()),
    ];

    private static readonly Dictionary<string, int> IndexByName =
        Definitions.Select((d, i) => (d.Metric.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);

    private static StatDefinition Counter(string name, string unit, string description, StatCounter counter) =>
        new(new StatMetric(name, StatMetricKind.Counter, unit, description), s => s.Total(counter));

    private static StatDefinition Gauge(string name, string unit, string description, Func<SyncStatistics, long> read) =>
        new(new StatMetric(name, StatMetricKind.Gauge, unit, description), read);

    private ulong Head() => _engine is { } engine ? (ulong)(TryRead("head", () => (long)engine.Head()) ?? 0) : 0;

    private long TxLogBytes() => _engine is { } engine ? TryRead(StatNames.TxLogSize, engine.TxLogBytes) ?? 0 : 0;

    private long TxLogEntries()
    {
        if (_engine is not { } engine)
        {
            return 0;
        }

        return TryRead(StatNames.TxLogEntries, () =>
        {
            var (head, from) = (engine.Head(), engine.RetainedFrom());
            return head >= from ? (long)(head - from + 1) : 0;
        }) ?? 0;
    }

    private (long Max, long Total) Behind()
    {
        var head = Head();
        long max = 0, total = 0;
        foreach (var session in _clients.Keys)
        {
            var position = session.Position;
            var behind = head > position ? (long)(head - position) : 0;
            max = Math.Max(max, behind);
            total += behind;
        }

        return (max, total);
    }

    // The engine's delegates throw once it stopped (database closed): the sample is then skipped.
    private long? TryRead(string metric, Func<long> read)
    {
        try
        {
            return read();
        }
#pragma warning disable CA1031 // a statistic must never break the timer, a scrape or the caller
        catch (Exception e)
#pragma warning restore CA1031
        {
            StatsLog.SampleFailed(_log, metric, e.Message);
            return null;
        }
    }

    private sealed record StatDefinition(StatMetric Metric, Func<SyncStatistics, long> Read);
}
