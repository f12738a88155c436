namespace SyncServer.Core.Protocol;

/// <summary>The first byte of every protocol message (docs/protocol.md). C = client to server, S = server to client.</summary>
public enum MessageType : byte
{
    Login = 1,            // C
    LoginResult = 2,      // S
    ApplyTx = 3,          // C
    AckTx = 4,            // S
    Txs = 5,              // S
    TxsApplied = 6,       // C
    RequestUpdates = 7,   // C
    CancelUpdates = 8,    // C
    UpdatesComplete = 9,  // S
    FullSyncBegin = 10,   // S
    FullSyncData = 11,    // S
    FullSyncEnd = 12,     // S
    Heartbeat = 13,       // C and S
    Error = 14,           // S (and C)
    Hello = 15,           // C, optional, before LOGIN: asks for a CHALLENGE
    Challenge = 16,       // S, the answer to HELLO
}
