namespace SyncServer.Core.Protocol;

/// <summary>Codes of the ERROR message (docs/protocol.md). The connection is closed after an ERROR.</summary>
public enum ErrorCode : ushort
{
    /// <summary>Bytes that do not decode as a message: an unknown type byte, or a payload that does not fit its type
    /// (truncated, trailing bytes, bad lengths or counts).</summary>
    Malformed = 1,
    /// <summary>The message is larger than the server's maximum message size.</summary>
    MessageTooLarge = 2,
    /// <summary>A message other than LOGIN or HEARTBEAT before a successful login.</summary>
    NotLoggedIn = 3,
    /// <summary>A known message this side may not send, or not now (e.g. ACK_TX from a client, a second LOGIN).</summary>
    UnexpectedMessage = 4,
    /// <summary>An operation names an entity, property or relation the client's schema version does not have.</summary>
    UnknownSchemaElement = 5,
    /// <summary>An operation on an entity without the SYNC_ENABLED flag.</summary>
    EntityNotSynced = 6,
    /// <summary>A transaction with more operations than the server allows.</summary>
    TooManyOperations = 7,
    /// <summary>An object's FlatBuffers data is invalid, or its ID property disagrees with the operation's object ID.</summary>
    InvalidObject = 8,
    /// <summary>Nothing arrived within the heartbeat timeout.</summary>
    HeartbeatTimeout = 9,
    /// <summary>A text WebSocket frame; the protocol is binary.</summary>
    TextFrame = 10,
    /// <summary>No successful LOGIN within the server's login timeout after the connection opened.</summary>
    LoginTimeout = 11,
    /// <summary>The server holds as much incoming data as it allows right now; the client connects again later and
    /// sends what was not acknowledged (the client TX ID is 0: no TX is rejected).</summary>
    ServerBusy = 12,
    /// <summary>The TX writes an object the client's sync filter does not let it write (docs/filters.md, "Writes"); nothing
    /// of the TX is stored, the session goes on, and a correction follows with what the client may see of the objects.</summary>
    PermissionDenied = 13,
    /// <summary>The server failed while handling the message; other clients are not affected.</summary>
    Internal = 50,
}
