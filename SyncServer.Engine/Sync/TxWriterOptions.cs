namespace SyncServer.Engine.Sync;

/// <summary>Limits of one group commit of <see cref="TxWriter"/>.</summary>
internal sealed record TxWriterOptions
{
    /// <summary>At most this many transactions are committed together.</summary>
    public int MaxBatchTxs { get; init; } = 1000;

    /// <summary>A batch stops growing once its PUT data reaches this many bytes (one large transaction still fits).</summary>
    public long MaxBatchBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>
    /// When the transaction log grows past this many bytes, its oldest entries are pruned down to
    /// <see cref="HistoryTargetBytes"/>; clients that had not caught up past them get a full sync. Null: keep everything.
    /// </summary>
    public long? HistoryMaxBytes { get; init; }

    /// <summary>What pruning brings the log down to; defaults to 90 % of <see cref="HistoryMaxBytes"/>.</summary>
    public long? HistoryTargetBytes { get; init; }
}
