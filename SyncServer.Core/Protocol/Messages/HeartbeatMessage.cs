namespace SyncServer.Core.Protocol.Messages;

/// <summary>Keeps the connection alive; the server answers a client's heartbeat with one carrying the server time.</summary>
public sealed record HeartbeatMessage(long TimeUnixMs) : SyncMessage
{
    public override MessageType Type => MessageType.Heartbeat;
}
