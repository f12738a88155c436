namespace SyncServer.Engine.Sync;

/// <summary>
/// What decides a conflict between two versions of an object (docs/conflicts.md): the SYNC_PRECEDENCE value first, then
/// the SYNC_CLOCK value, both compared unsigned; a missing property counts as 0. Equal stamps: the later write wins.
/// </summary>
internal readonly record struct ConflictStamp(ulong Precedence, ulong Clock)
{
    /// <summary>True when a write stamped <paramref name="incoming"/> loses against state stamped <paramref name="stored"/>.</summary>
    public static bool Loses(ConflictStamp incoming, ConflictStamp stored) =>
        incoming.Precedence != stored.Precedence ? incoming.Precedence < stored.Precedence : incoming.Clock < stored.Clock;
}
