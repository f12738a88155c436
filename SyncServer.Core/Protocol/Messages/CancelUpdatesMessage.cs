namespace SyncServer.Core.Protocol.Messages;

/// <summary>Stop live pushes (a catch-up in progress finishes).</summary>
public sealed record CancelUpdatesMessage : SyncMessage
{
    public override MessageType Type => MessageType.CancelUpdates;
}
