namespace SyncServer.Engine.Sync;

/// <summary>SQLite integers are signed: unsigned IDs, UIDs and clocks are stored as their two's-complement reinterpretation.</summary>
internal static class SyncIds
{
    public static long ToDb(ulong value) => unchecked((long)value);

    public static ulong FromDb(long value) => unchecked((ulong)value);
}
