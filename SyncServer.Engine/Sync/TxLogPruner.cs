using SyncServer.Engine.Storage;

namespace SyncServer.Engine.Sync;

// Used only by the TxWriter's consumer task, inside its write transaction: not thread-safe.
/// <summary>
/// Keeps the transaction log under a size limit (<c>historySizeMaxKb</c>): when it grows past
/// <paramref name="maxBytes"/>, the oldest entries are deleted until it is at most <paramref name="targetBytes"/>, and
/// meta <c>txlog_retained_from</c> moves to the first position kept. The newest entry is always kept, so the head
/// position survives a restart. A log entry's size is its encoded operations plus <see cref="RowOverheadBytes"/>.
/// </summary>
internal sealed class TxLogPruner(long maxBytes, long targetBytes, long sizeBytes = -1)
{
    public const int RowOverheadBytes = 32;

    private long _sizeBytes = sizeBytes;

    /// <summary>The log's size after the last call (or the size it was given, -1: measured at the first call).</summary>
    public long SizeBytes => _sizeBytes;

    /// <summary>Accounts for <paramref name="added"/> (already appended in this batch) and prunes if needed.</summary>
    /// <returns>The new first retained position, or null when nothing was pruned.</returns>
    public ulong? Prune(ISyncWriteBatch batch, IReadOnlyList<StoredTx> added)
    {
        if (_sizeBytes < 0)
        {
            _sizeBytes = batch.MeasureTxLog();
        }
        else
        {
            foreach (var tx in added)
            {
                _sizeBytes += tx.EncodedOps.Length + RowOverheadBytes;
            }
        }

        if (_sizeBytes <= maxBytes)
        {
            return null;
        }

        var (cutoff, removed) = batch.FindTxLogCutoff(_sizeBytes - targetBytes);
        if (removed == 0)
        {
            return null;
        }

        batch.PruneTxLog(cutoff);
        _sizeBytes -= removed;
        return cutoff;
    }
}
