namespace SyncServer.Core.Protocol;

public enum AckStatus : byte
{
    /// <summary>The TX was applied and is durable.</summary>
    Applied = 0,
    /// <summary>The TX had been applied before (a resend after a reconnect); nothing was applied again.</summary>
    Duplicate = 1,
}
