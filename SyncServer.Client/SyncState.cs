namespace SyncServer.Client;

/// <summary>Where a <see cref="SyncClient"/> is in its life. Local reads and writes work in every state but <see cref="Stopped"/>.</summary>
public enum SyncState
{
    /// <summary>Constructed; <see cref="SyncClient.Start"/> not called yet. Works offline.</summary>
    Created,
    /// <summary>Started, connecting for the first time.</summary>
    Started,
    /// <summary>The WebSocket is open; LOGIN sent, no answer yet.</summary>
    Connected,
    /// <summary>Logged in: queued TXs are being sent and updates received.</summary>
    LoggedIn,
    /// <summary>The connection was lost or refused; reconnecting with backoff.</summary>
    Disconnected,
    /// <summary>Stopped or disposed; no more connections.</summary>
    Stopped,
    /// <summary>The server will never accept this client as it is (protocol version); no more connections.</summary>
    Dead,
}
