namespace SyncServer.Core.Protocol.Messages;

/// <param name="ClientNumber">The server's number for this client ID: the high 24 bits of the global IDs of objects it
/// creates (docs/ids.md); 0 when the login failed.</param>
/// <param name="LastClientTxId">The highest client TX ID the server has applied from this client: queued TXs up to it are
/// done and can be dropped instead of resent.</param>
/// <param name="HeadPosition">The server's newest position.</param>
public sealed record LoginResultMessage(
    LoginResultCode Code,
    long ServerTimeUnixMs,
    uint ClientNumber,
    uint SchemaVersionId,
    ulong LastClientTxId,
    ulong HeadPosition,
    string Text) : SyncMessage
{
    public override MessageType Type => MessageType.LoginResult;
}
