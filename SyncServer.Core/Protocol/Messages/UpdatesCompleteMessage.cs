namespace SyncServer.Core.Protocol.Messages;

/// <summary>The catch-up reached <paramref name="Position"/>, the head when it ended.</summary>
public sealed record UpdatesCompleteMessage(ulong Position) : SyncMessage
{
    public override MessageType Type => MessageType.UpdatesComplete;
}
