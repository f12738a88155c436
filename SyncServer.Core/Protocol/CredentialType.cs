namespace SyncServer.Core.Protocol;

/// <summary>How a client proves who it is in LOGIN. Only <see cref="None"/> is accepted so far (--unsecured-no-authentication).</summary>
public enum CredentialType : byte
{
    None = 0,
    SharedSecret = 1,
    JwtId = 2,
    JwtAccess = 3,
    JwtRefresh = 4,
    JwtCustom = 5,
    GoogleAuth = 6,
    ObxAdminUser = 7,
}
