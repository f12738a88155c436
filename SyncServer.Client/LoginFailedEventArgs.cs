using SyncServer.Core.Protocol;

namespace SyncServer.Client;

/// <summary>The server refused LOGIN with <see cref="Code"/> (and <see cref="Text"/>, e.g. which filter variable is missing
/// for <see cref="LoginResultCode.FilterVariableMissing"/>). The client retries with backoff (or at once after
/// <see cref="SyncClient.SetCredentials"/> or <see cref="SyncClient.SetFilterVariables"/>), except for
/// <see cref="LoginResultCode.BadVersion"/> which makes it Dead.</summary>
public sealed class LoginFailedEventArgs(LoginResultCode code, string text) : EventArgs
{
    public LoginResultCode Code { get; } = code;
    public string Text { get; } = text;
}
