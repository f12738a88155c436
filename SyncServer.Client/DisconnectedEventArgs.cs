namespace SyncServer.Client;

/// <summary>A connection ended (or could not be made); <see cref="Reason"/> says why, for logs.</summary>
public sealed class DisconnectedEventArgs(Uri server, string reason, Exception? exception = null) : EventArgs
{
    public Uri Server { get; } = server;
    public string Reason { get; } = reason;

    /// <summary>The failure that ended the connection, when it was one of this client's (e.g. a TLS certificate it does
    /// not trust: an <see cref="System.Security.Authentication.AuthenticationException"/> among the inner exceptions);
    /// null when the server or the client closed it.</summary>
    public Exception? Exception { get; } = exception;
}
