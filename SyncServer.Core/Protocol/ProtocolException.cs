namespace SyncServer.Core.Protocol;

/// <summary>A message broke the protocol; <see cref="Code"/> goes into the ERROR message sent back before closing.</summary>
public sealed class ProtocolException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;
}
