namespace SyncServer.Core.Protocol;

/// <summary>What the server sends a client after login without being asked.</summary>
public enum RequestUpdatesMode : byte
{
    /// <summary>Nothing until the client sends REQUEST_UPDATES.</summary>
    Manual = 0,
    /// <summary>Catch-up right after login, then live TXs as they commit.</summary>
    Auto = 1,
    /// <summary>Catch-up after login, no live pushes; later catch-ups on REQUEST_UPDATES.</summary>
    AutoNoPushes = 2,
}
