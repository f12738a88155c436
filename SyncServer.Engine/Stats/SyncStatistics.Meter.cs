using System.Diagnostics.Metrics;

namespace SyncServer.Engine.Stats;

public sealed partial class SyncStatistics
{
    // Observable instruments over the same totals and gauges the series use: one Interlocked add per event on the hot
    // path, and a scrape reads exactly what the admin UI shows. Tagged instruments report one measurement per tag value.
    private void CreateInstruments(Meter meter)
    {
        ObservableCounter(meter, "syncserver.messages.in", "{message}", StatNames.MessagesIn);
        ObservableCounter(meter, "syncserver.messages.out", "{message}", StatNames.MessagesOut);
        ObservableCounter(meter, "syncserver.messages.in.bytes", "By", StatNames.MessageBytesIn);
        ObservableCounter(meter, "syncserver.messages.out.bytes", "By", StatNames.MessageBytesOut);
        TaggedCounter(meter, "syncserver.txs.applied", "{tx}", "Transactions applied (not counting duplicates)", "source",
            ("client", StatNames.TxsAppliedClient), ("local", StatNames.TxsAppliedLocal));
        ObservableCounter(meter, "syncserver.txs.applied.bytes", "By", StatNames.TxsAppliedBytes);
        ObservableCounter(meter, "syncserver.txs.applied.operations", "{operation}", StatNames.TxsAppliedOperations);
        ObservableCounter(meter, "syncserver.txs.duplicates", "{tx}", StatNames.TxsDuplicates);
        ObservableCounter(meter, "syncserver.put.conflicts", "{operation}", StatNames.PutConflicts);
        ObservableGauge(meter, "syncserver.clients.connected", "{client}", StatNames.ClientsConnected);
        ObservableCounter(meter, "syncserver.clients.connects", "{client}", StatNames.ClientsConnects);
        ObservableGauge(meter, "syncserver.clients.txs_behind.max", "{tx}", StatNames.ClientsTxsBehindMax);
        ObservableGauge(meter, "syncserver.clients.txs_behind.sum", "{tx}", StatNames.ClientsTxsBehindSum);
        TaggedCounter(meter, "syncserver.txs.sent", "{tx}", "Transactions sent to clients (TXS), by catch-up or live push", "kind",
            ("historic", StatNames.TxsSentHistoric), ("live", StatNames.TxsSentLive));
        ObservableCounter(meter, "syncserver.full_syncs", "{sync}", StatNames.FullSyncs);
        TaggedCounter(meter, "syncserver.failures", "{failure}", "Sessions that failed: refused login, socket write failed, dropped connection, heartbeat timeout, stalled reader", "kind",
            ("login", StatNames.FailuresLogin), ("send", StatNames.FailuresSend),
            ("disconnected", StatNames.FailuresDisconnected), ("heartbeat", StatNames.FailuresHeartbeat), ("stalled", StatNames.FailuresStalled));
        TaggedCounter(meter, "syncserver.errors", "{error}", "ERROR messages sent to clients: protocol violations, or a failed handler (ERROR Internal)", "kind",
            ("protocol", StatNames.ErrorsProtocol), ("handler", StatNames.ErrorsHandler));
        ObservableGauge(meter, "syncserver.database.size", "By", StatNames.DatabaseSize);
        ObservableGauge(meter, "syncserver.txlog.size", "By", StatNames.TxLogSize);
        ObservableGauge(meter, "syncserver.txlog.entries", "{tx}", StatNames.TxLogEntries);
        ObservableCounter(meter, "syncserver.filter.filtered_out", "{object}", StatNames.FilterFilteredOut);
        _filterRefusals = meter.CreateCounter<long>("syncserver.filter.refusals", "{tx}", "Transactions refused by the sender's sync filter, by entity");
        _filterEvaluation = meter.CreateHistogram<double>("syncserver.filter.evaluation.duration", "s",
            "Time to filter one committed TX for one filtered client (decoding shared, the client's filter evaluated per op)");
    }

    private Counter<long>? _filterRefusals;
    private Histogram<double>? _filterEvaluation;

    /// <summary>A TX was refused by its sender's sync filter; <paramref name="entity"/> is the refused op's entity.</summary>
    internal void TxRefused(string entity)
    {
        Add(StatCounter.FilterRefusals);
        _filterRefusals?.Add(1, new KeyValuePair<string, object?>("entity", entity));
    }

    /// <summary>Deliveries left out (or turned into REMOVEs) <paramref name="count"/> objects.</summary>
    internal void ObjectsFilteredOut(int count) => Add(StatCounter.FilterFilteredOut, count);

    /// <summary>Filtering one TX for one client took <paramref name="seconds"/>.</summary>
    internal void FilterEvaluated(double seconds) => _filterEvaluation?.Record(seconds);

    private long Value(string metric) => Definitions[IndexByName[metric]].Read(this);

    private void ObservableCounter(Meter meter, string name, string unit, string metric) =>
        meter.CreateObservableCounter(name, () => Value(metric), unit, Describe(metric));

    private void ObservableGauge(Meter meter, string name, string unit, string metric) =>
        meter.CreateObservableGauge(name, () => Value(metric), unit, Describe(metric));

    private void TaggedCounter(Meter meter, string name, string unit, string description, string tag, params (string TagValue, string Metric)[] parts) =>
        meter.CreateObservableCounter(
            name,
            () => parts.Select(p => new Measurement<long>(Value(p.Metric), new KeyValuePair<string, object?>(tag, p.TagValue))),
            unit,
            description);

    private static string Describe(string metric) => Definitions[IndexByName[metric]].Metric.Description;
}
