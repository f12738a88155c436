using SyncServer.Core.Protocol;

namespace SyncServer.Client;

/// <summary>The server refused LOGIN with <see cref="Code"/>. The client retries with backoff (or at once after
/// <see cref="SyncClient.SetCredentials"/>), except for <see cref="LoginResultCode.BadVersion"/> which makes it Dead.</summary>
public sealed class LoginFailedEventArgs(LoginResultCode code, string text) : EventArgs
{
    public LoginResultCode Code { get; } = code;
    public string Text { get; } = text;
}
