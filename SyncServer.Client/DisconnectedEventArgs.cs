namespace SyncServer.Client;

/// <summary>A connection ended (or could not be made); <see cref="Reason"/> says why, for logs.</summary>
public sealed class DisconnectedEventArgs(Uri server, string reason) : EventArgs
{
    public Uri Server { get; } = server;
    public string Reason { get; } = reason;
}
