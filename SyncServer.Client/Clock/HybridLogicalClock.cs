namespace SyncServer.Client.Clock;

/// <summary>
/// A hybrid logical clock for SYNC_CLOCK properties: every value is above every value this client made or saw before,
/// and close to wall-clock time. Not thread-safe (used under the client's store lock).
/// <code>
/// u64:  | Unix time in ms (48 bits) | counter (16 bits) |
/// </code>
/// The counter breaks ties within a millisecond and carries the clock forward when another device's clock (observed in
/// incoming data) is ahead of this one's wall clock.
/// </summary>
internal sealed class HybridLogicalClock(TimeProvider time, ulong last)
{
    public const int CounterBits = 16;

    /// <summary>The last value made or observed.</summary>
    public ulong Last { get; private set; } = last;

    /// <summary>A new value, above <see cref="Last"/>.</summary>
    public ulong Next()
    {
        var physical = (ulong)Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds()) << CounterBits;
        Last = Math.Max(physical, Last + 1);
        return Last;
    }

    /// <summary>Takes in another device's value so later values are above it.</summary>
    /// <returns>True when <see cref="Last"/> moved.</returns>
    public bool Observe(ulong remote)
    {
        if (remote <= Last)
        {
            return false;
        }

        Last = remote;
        return true;
    }

    /// <summary>The wall-clock part of a value, in Unix ms.</summary>
    public static long ToUnixMilliseconds(ulong value) => (long)(value >> CounterBits);
}
