namespace SyncServer.Core.Protocol.Messages;

/// <summary>Committed TXs of other clients, in position order. <paramref name="Historic"/>: catch-up rather than live.</summary>
public sealed record TxsMessage(bool Historic, IReadOnlyList<EncodedTx> Txs) : SyncMessage
{
    public override MessageType Type => MessageType.Txs;
}
