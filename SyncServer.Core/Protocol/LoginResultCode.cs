namespace SyncServer.Core.Protocol;

/// <summary>LOGIN_RESULT codes, ObjectBox's numbers.</summary>
public enum LoginResultCode : byte
{
    Ok = 20,
    RequestRejected = 40,
    CredentialsRejected = 43,

    /// <summary>The server's sync filters need a variable this login does not have (the text names it).</summary>
    FilterVariableMissing = 44,
    Unknown = 50,
    AuthUnreachable = 53,
    BadVersion = 55,
    UnsupportedDataModel = 57,
    ClientIdTaken = 61,
}
