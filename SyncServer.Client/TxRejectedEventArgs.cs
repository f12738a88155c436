using SyncServer.Core.Protocol;

namespace SyncServer.Client;

/// <summary>The server refused a queued TX; it was dropped from the outbox so it is not resent forever. The local data
/// keeps the change, except after <see cref="ErrorCode.PermissionDenied"/> (the client's sync filter does not allow the
/// write): the connection then stays open and the server's correction that follows puts back what the client may see
/// of the objects the TX touched (docs/client.md "Sync filters").</summary>
public sealed class TxRejectedEventArgs(ulong clientTxId, ErrorCode code, string text) : EventArgs
{
    public ulong ClientTxId { get; } = clientTxId;
    public ErrorCode Code { get; } = code;
    /// <summary>The server's reason, e.g. which operation, entity and object it refused.</summary>
    public string Text { get; } = text;
}
