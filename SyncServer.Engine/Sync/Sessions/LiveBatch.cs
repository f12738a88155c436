using SyncServer.Core.Protocol;
using SyncServer.Core.Protocol.Messages;

namespace SyncServer.Engine.Sync.Sessions;

// Used by the fan-out task only (one batch at a time): not thread-safe.
/// <summary>
/// One batch of new TXs as the <see cref="LiveFanOut"/> hands it to every parked session, with the TXS message of the
/// whole batch encoded once for all the sessions that get it unchanged (clients on the current schema version that sent
/// none of its TXs) instead of once per session.
/// </summary>
internal sealed class LiveBatch(IReadOnlyList<StoredTx> txs)
{
    private OutgoingTxs? _whole;

    public IReadOnlyList<StoredTx> Txs => txs;

    /// <summary>The live TXS message of every TX of the batch.</summary>
    public OutgoingTxs Whole => _whole ??= OutgoingTxs.Encode(historic: false, [.. txs.Select(t => new EncodedTx(t.Position, t.CommittedUnixMs, t.EncodedOps))])!.Value;

    /// <summary>True when client <paramref name="clientNumber"/> sent one of the batch's TXs.</summary>
    public bool HasTxOf(uint clientNumber)
    {
        foreach (var tx in txs)
        {
            if (tx.ClientNumber == clientNumber)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>An encoded TXS message: <paramref name="Count"/> TXs, positions <paramref name="First"/> to <paramref name="Last"/>.</summary>
internal readonly record struct OutgoingTxs(byte[] Bytes, int Count, ulong First, ulong Last)
{
    /// <summary>The TXS message of <paramref name="txs"/>; null when there are none.</summary>
    public static OutgoingTxs? Encode(bool historic, List<EncodedTx> txs) =>
        txs.Count == 0 ? null : new OutgoingTxs(MessageCodec.EncodeTxs(historic, txs), txs.Count, txs[0].Position, txs[^1].Position);
}
