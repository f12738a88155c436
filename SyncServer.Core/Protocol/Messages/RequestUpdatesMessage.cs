namespace SyncServer.Core.Protocol.Messages;

/// <summary>Catch up from the client's position; with <paramref name="Subscribe"/> also push live TXs afterwards.</summary>
public sealed record RequestUpdatesMessage(bool Subscribe) : SyncMessage
{
    public override MessageType Type => MessageType.RequestUpdates;
}
