using SyncServer.Core.Protocol;
using SyncServer.Engine.Filters;
using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Sync;

internal sealed partial class TxWriter
{
    // One group commit: every transaction of the batch in its own savepoint inside one database transaction.
    private void CommitBatch(List<PendingTx> batch)
    {
        var results = new BatchResult[batch.Count];
        var logged = new List<StoredTx>();
        var head = _head;
        var currentModel = _schema.Current?.Model;
        var committedUnixMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        ulong? retainedFrom = null;
        try
        {
            _storage.WriteBatch(store =>
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = ApplyOne(store, batch[i].Submission, currentModel, head + 1, committedUnixMs);
                    if (results[i].Logged is { } stored)
                    {
                        logged.Add(stored);
                        head = stored.Position;
                    }
                }

                // Pruning rides in the same commit: no extra fsync, and log and retained-from never disagree.
                retainedFrom = _pruner?.Prune(store, logged);
                return 0;
            });
        }
        catch (Exception e)
        {
            // The whole batch was rolled back (size limit, I/O error, database closed): all of it failed. A full or damaged
            // database was logged once by the storage, not with a stack trace per refused batch.
            if (e is DatabaseFullException or DatabaseDamagedException)
            {
                SyncLog.BatchRefused(_log, batch.Count, e.Message);
            }
            else
            {
                SyncLog.BatchFailed(_log, e, batch.Count);
            }

            foreach (var pending in batch)
            {
                pending.CancelRegistration.Dispose();
                pending.Completion.TrySetException(e);
            }

            return;
        }

        _head = head;
        Interlocked.Increment(ref _commits);
        // Feed first, then the submitters: once a submission completes, Feed.Head is at or past its position.
        // Both happen only after the commit returned.
        if (logged.Count > 0)
        {
            _feed.Publish(logged);
        }

        if (retainedFrom is { } prunedTo)
        {
            _feed.Prune(prunedTo);
            SyncLog.HistoryPruned(_log, prunedTo, _pruner!.SizeBytes);
        }

        long loggedBytes = 0;
        foreach (var tx in logged)
        {
            loggedBytes += tx.EncodedOps.Length;
        }

        if (_pruner is not null)
        {
            Interlocked.Exchange(ref _txLogBytes, _pruner.SizeBytes);
        }
        else
        {
            Interlocked.Add(ref _txLogBytes, loggedBytes + ((long)logged.Count * TxLogPruner.RowOverheadBytes));
        }

        // Counters first, then the submitters: once a submission completes, the statistics include it.
        int duplicates = 0, failed = 0, refused = 0, local = 0, putConflicts = 0, operations = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var result = results[i];
            if (result.Error is not null)
            {
                failed++;
            }
            else if (result.Outcome!.Status == TxStatus.Duplicate)
            {
                duplicates++;
            }
            else if (result.Outcome.Status == TxStatus.Refused)
            {
                refused++;
                _statistics?.TxRefused(result.Outcome.Refusal!.Value.Entity);
            }
            else
            {
                putConflicts += result.Outcome.PutConflicts;
                operations += result.Logged?.OpCount ?? 0;
                local += batch[i].Submission.ClientNumber == 0 ? 1 : 0;
            }
        }

        var applied = batch.Count - duplicates - failed - refused;
        Interlocked.Add(ref _putConflicts, putConflicts);
        Interlocked.Add(ref _duplicates, duplicates);
        Interlocked.Add(ref _applied, applied);
        _statistics?.TxsCommitted(applied - local, local, loggedBytes, operations, duplicates, putConflicts);

        for (var i = 0; i < batch.Count; i++)
        {
            var (pending, result) = (batch[i], results[i]);
            pending.CancelRegistration.Dispose();
            if (result.Error is { } error)
            {
                pending.Completion.TrySetException(error);
            }
            else
            {
                pending.Completion.TrySetResult(result.Outcome!);
            }
        }

        SyncLog.BatchCommitted(_log, batch.Count, duplicates, failed, head);
    }

    private BatchResult ApplyOne(
        ISyncWriteBatch store, TxSubmission submission, Core.Model.ObjectBoxModel? currentModel, ulong position, long committedUnixMs)
    {
        var (clientNumber, tx, clientModel, senderFilters) = submission;
        var filters = _filters?.Current ?? SyncFilterSet.None;
        store.Savepoint();
        try
        {
            if (clientNumber != 0)
            {
                var lastTxId = store.GetLastTxId(clientNumber)
                    ?? throw new InvalidOperationException($"There is no client number {clientNumber}; log the client in first");
                if (tx.ClientTxId <= lastTxId)
                {
                    // Its outcome is not kept: the sender gets the state of what it touched instead (a correction).
                    var state = new TxApplier(store, clientModel, currentModel, position, filters, senderFilters).StateOf(tx.Ops);
                    store.ReleaseSavepoint();
                    return new BatchResult(TxOutcome.DuplicateOutcome with { Corrections = state }, null, null);
                }

                store.SetLastTxId(clientNumber, tx.ClientTxId);
            }

            var applier = new TxApplier(store, clientModel, currentModel, position, filters, senderFilters);
            applier.Apply(tx.Ops);
            StoredTx? stored = null;
            if (applier.EffectiveOps.Count > 0)
            {
                // Sized for the ops as sent (no growing and copying a 100 KB buffer for a TX of 1,000 puts).
                var writer = new ProtocolWriter((int)Math.Min(EstimateBytes(tx) + 4, int.MaxValue));
                OpCodec.Write(writer, applier.EffectiveOps);
                var ops = writer.ToArray();
                var context = applier.FilterContextBytes;
                store.AppendTx(position, clientNumber, tx.ClientTxId, committedUnixMs, applier.EffectiveOps.Count, ops, context);
                stored = new StoredTx(position, clientNumber, committedUnixMs, applier.EffectiveOps.Count, ops, context);
            }

            var outcome = new TxOutcome(TxStatus.Applied, stored?.Position ?? 0, applier.PutConflicts, applier.Corrections());
            store.ReleaseSavepoint();
            return new BatchResult(outcome, stored, null);
        }
        catch (TxRefusedException refused)
        {
            // Undone as a whole; the TX ID stays used (a resend is a duplicate), and the sender gets what it may see of
            // the objects the TX touched.
            store.RollbackToSavepoint();
            if (clientNumber != 0)
            {
                store.SetLastTxId(clientNumber, tx.ClientTxId);
            }

            var state = new TxApplier(store, clientModel, currentModel, position, filters, senderFilters).StateOf(tx.Ops);
            store.ReleaseSavepoint();
            SyncLog.TxRefused(_log, tx.ClientTxId, clientNumber, refused.Message);
            return new BatchResult(new TxOutcome(TxStatus.Refused, 0, 0, state, (refused.Entity, refused.Message)), null, null);
        }
        catch (Exception e) when (!_storage.IsStorageFailure(e))
        {
            // This transaction alone is undone; the store's own errors (full, I/O) fail the whole batch instead.
            store.RollbackToSavepoint();
            store.ReleaseSavepoint();
            SyncLog.TxFailed(_log, e, tx.ClientTxId, clientNumber);
            return new BatchResult(null, null, e);
        }
    }

    private readonly record struct BatchResult(TxOutcome? Outcome, StoredTx? Logged, Exception? Error);
}
