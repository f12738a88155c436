namespace SyncServer.Core.Protocol.Messages;

public sealed record ApplyTxMessage(ClientTx Tx) : SyncMessage
{
    public override MessageType Type => MessageType.ApplyTx;
}
