namespace SyncServer.Core.Protocol.Messages;

/// <summary>The sender is closing the connection because of <paramref name="Code"/>. <paramref name="ClientTxId"/> names the
/// rejected TX when the error is about one (the client drops it instead of resending it forever), else 0.</summary>
public sealed record ErrorMessage(ErrorCode Code, ulong ClientTxId, string Text) : SyncMessage
{
    public override MessageType Type => MessageType.Error;
}
