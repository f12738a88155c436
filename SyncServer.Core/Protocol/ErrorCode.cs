namespace SyncServer.Core.Protocol;

/// <summary>Codes of the ERROR message (docs/protocol.md). The connection is closed after an ERROR.</summary>
public enum ErrorCode : ushort
{
    /// <summary>Bytes that do not decode as the message type says (truncated, trailing bytes, bad lengths).</summary>
    Malformed = 1,
    /// <summary>The message is larger than the server's maximum message size.</summary>
    MessageTooLarge = 2,
    /// <summary>A message other than LOGIN or HEARTBEAT before a successful login.</summary>
    NotLoggedIn = 3,
    /// <summary>An unknown message type, or one only the other side may send.</summary>
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
    /// <summary>The server failed while handling the message; other clients are not affected.</summary>
    Internal = 50,
}
