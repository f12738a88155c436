namespace SyncServer.Core.Protocol.Messages;

/// <summary>Part of a full sync: PUT and LINK operations.</summary>
public sealed record FullSyncDataMessage(IReadOnlyList<SyncOp> Ops) : SyncMessage
{
    public override MessageType Type => MessageType.FullSyncData;
}
