namespace SyncServer.Engine.Auth;

/// <summary>Who is logging in, beyond the credentials themselves.</summary>
/// <param name="RemoteAddress">The connection's remote address (IP and port), for logs and rate limits.</param>
/// <param name="ClientId">The persistent client ID from LOGIN.</param>
public sealed record AuthContext(string RemoteAddress, byte[] ClientId);
