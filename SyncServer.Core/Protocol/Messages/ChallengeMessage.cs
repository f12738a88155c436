namespace SyncServer.Core.Protocol.Messages;

/// <summary>
/// The server's answer to HELLO: a fresh random nonce for this connection only. A shared-secret LOGIN on this connection
/// must carry <see cref="SharedSecretProof"/> over it; a captured LOGIN is worthless on any other connection.
/// </summary>
/// <param name="Nonce"><see cref="MessageCodec.ChallengeLength"/> random bytes.</param>
public sealed record ChallengeMessage(byte[] Nonce) : SyncMessage
{
    public override MessageType Type => MessageType.Challenge;
}
