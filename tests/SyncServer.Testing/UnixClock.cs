namespace SyncServer.Tests.Shared;

/// <summary>Wall-clock time in Unix nanoseconds (clock_gettime REALTIME, ~100 ns steps): the same clock in every process
/// on this machine, so a writer's send time and a subscriber's receive time in another process can be compared.</summary>
internal static class UnixClock
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    public static long NowUnixNs() => (DateTime.UtcNow.Ticks - EpochTicks) * 100;
}
