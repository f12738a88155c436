namespace SyncServer.Engine.Stats;

/// <summary>Why a session ended badly (the <c>kind</c> tag of <c>syncserver.failures</c>); at most one per session.</summary>
internal enum StatFailure
{
    /// <summary>The login was refused (any LOGIN_RESULT code but OK).</summary>
    Login = StatCounter.FailuresLogin,

    /// <summary>Writing to the socket failed.</summary>
    Send = StatCounter.FailuresSend,

    /// <summary>The connection dropped without a close handshake (reading failed, or the connection was aborted).</summary>
    Disconnected = StatCounter.FailuresDisconnected,

    /// <summary>Nothing arrived for the heartbeat timeout (ERROR HeartbeatTimeout).</summary>
    Heartbeat = StatCounter.FailuresHeartbeat,

    /// <summary>The client stopped reading: its socket accepted nothing for the send timeout, and it was dropped.</summary>
    Stalled = StatCounter.FailuresStalled,
}
