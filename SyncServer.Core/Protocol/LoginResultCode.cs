namespace SyncServer.Core.Protocol;

/// <summary>LOGIN_RESULT codes, ObjectBox's numbers.</summary>
public enum LoginResultCode : byte
{
    Ok = 20,
    RequestRejected = 40,
    CredentialsRejected = 43,
    Unknown = 50,
    AuthUnreachable = 53,
    BadVersion = 55,
    UnsupportedDataModel = 57,
    ClientIdTaken = 61,
}
