namespace SyncServer.Core.Protocol;

/// <summary>A decoded protocol message. Encode and decode with <see cref="MessageCodec"/>.</summary>
public abstract record SyncMessage
{
    public abstract MessageType Type { get; }
}
