namespace SyncServer.Core.Protocol.Messages;

/// <summary>
/// Optional first message of a connection: asks the server for a <see cref="ChallengeMessage"/> before LOGIN. Only
/// credentials that prove knowledge of a secret without sending it (<see cref="CredentialType.SharedSecret"/>) need it;
/// other logins skip it, so version 1 clients that never send it work unchanged. At most once, before LOGIN.
/// </summary>
public sealed record HelloMessage : SyncMessage
{
    public override MessageType Type => MessageType.Hello;
}
