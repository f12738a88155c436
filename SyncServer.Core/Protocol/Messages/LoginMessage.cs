namespace SyncServer.Core.Protocol.Messages;

/// <summary>
/// The first message of a connection. A LOGIN whose <paramref name="ProtocolVersion"/> the server does not speak is
/// decoded no further (the other fields are empty) and answered with BAD_VERSION.
/// </summary>
/// <param name="ClientId">The client's persistent ID (1 to 64 bytes; the SDK uses 16 random bytes made once).</param>
/// <param name="SchemaHash">The SHA-256 model hash of the client's model (32 bytes, see docs/schema.md).</param>
/// <param name="LastPosition">The last server position the client has applied; 0 for a new client.</param>
/// <param name="FilterVariables">The client's filter variables (protocol version 2; none in version 1).</param>
public sealed record LoginMessage(
    ushort ProtocolVersion,
    byte[] ClientId,
    CredentialType CredentialType,
    byte[] Credentials,
    byte[] SchemaHash,
    RequestUpdatesMode Mode,
    ulong LastPosition,
    IReadOnlyList<FilterVariable>? FilterVariables = null) : SyncMessage
{
    /// <summary>The filter variables, empty when there are none.</summary>
    public IReadOnlyList<FilterVariable> Variables => FilterVariables ?? [];

    public override MessageType Type => MessageType.Login;
}
