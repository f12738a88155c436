using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Auth;

/// <summary>The outcome of a credential check.</summary>
/// <param name="Code"><see cref="LoginResultCode.Ok"/> or the LOGIN_RESULT code to refuse the login with.</param>
/// <param name="Reason">Why it was refused, for the server's debug log (never sent to the client).</param>
public sealed record AuthResult(LoginResultCode Code, string? Reason)
{
    public static AuthResult Ok { get; } = new(LoginResultCode.Ok, null);

    public bool IsOk => Code == LoginResultCode.Ok;

    public static AuthResult Rejected(string reason) => new(LoginResultCode.CredentialsRejected, reason);
}
