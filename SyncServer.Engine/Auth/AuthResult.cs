using SyncServer.Core.Protocol;

namespace SyncServer.Engine.Auth;

/// <summary>The outcome of a credential check.</summary>
/// <param name="Code"><see cref="LoginResultCode.Ok"/> or the LOGIN_RESULT code to refuse the login with.</param>
/// <param name="Reason">Why it was refused, for the server's debug log (never sent to the client).</param>
/// <param name="Claims">For an accepted login: what the sync filters read as <c>$auth.…</c> (a JWT's payload; for an admin
/// user <c>{"user": name}</c>); null when the credentials carry none.</param>
public sealed record AuthResult(LoginResultCode Code, string? Reason, System.Text.Json.JsonElement? Claims = null)
{
    public static AuthResult Ok { get; } = new(LoginResultCode.Ok, null);

    /// <summary>An accepted login with claims for the sync filters.</summary>
    public static AuthResult OkWith(System.Text.Json.JsonElement claims) => new(LoginResultCode.Ok, null, claims);

    public bool IsOk => Code == LoginResultCode.Ok;

    public static AuthResult Rejected(string reason) => new(LoginResultCode.CredentialsRejected, reason);
}
