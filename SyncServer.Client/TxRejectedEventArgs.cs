using SyncServer.Core.Protocol;

namespace SyncServer.Client;

/// <summary>The server refused a queued TX as invalid; it was dropped from the outbox so it is not resent forever.
/// The local data keeps the change.</summary>
public sealed class TxRejectedEventArgs(ulong clientTxId, ErrorCode code, string text) : EventArgs
{
    public ulong ClientTxId { get; } = clientTxId;
    public ErrorCode Code { get; } = code;
    public string Text { get; } = text;
}
