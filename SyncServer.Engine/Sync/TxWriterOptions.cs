namespace SyncServer.Engine.Sync;

/// <summary>Limits of one group commit of <see cref="TxWriter"/>.</summary>
public sealed record TxWriterOptions
{
    /// <summary>At most this many transactions are committed together.</summary>
    public int MaxBatchTxs { get; init; } = 1000;

    /// <summary>A batch stops growing once its PUT data reaches this many bytes (one large transaction still fits).</summary>
    public long MaxBatchBytes { get; init; } = 8 * 1024 * 1024;
}
