namespace SyncServer.Core.Protocol.Messages;

/// <summary>Sent only after the TX is durable. <paramref name="Position"/> is its server position (0 if it logged nothing).</summary>
public sealed record AckTxMessage(ulong ClientTxId, ulong Position, AckStatus Status, uint PutConflicts) : SyncMessage
{
    public override MessageType Type => MessageType.AckTx;
}
