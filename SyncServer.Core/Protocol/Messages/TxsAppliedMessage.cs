namespace SyncServer.Core.Protocol.Messages;

/// <summary>The client has durably applied everything up to <paramref name="Position"/>.</summary>
public sealed record TxsAppliedMessage(ulong Position) : SyncMessage
{
    public override MessageType Type => MessageType.TxsApplied;
}
