using SyncServer.Engine.Stats;

namespace SyncServer.Web.Hubs;

/// <summary>
/// The once-a-second message of the stats hub: <c>{ timestamp, second, totals: { name: value }, lastSecond: { name: value
/// } }</c>. <c>timestamp</c>: when the sample was taken (unix ms); <c>second</c>: the start of the second it belongs to
/// (unix ms), which is the timestamp of the newest point of every <c>second</c> series; <c>totals</c>: counters' totals
/// since the server started and gauges' values; <c>lastSecond</c>: that newest point of each statistic.
/// </summary>
internal sealed record StatTickMessage(
    long Timestamp, long Second, IReadOnlyDictionary<string, long> Totals, IReadOnlyDictionary<string, long> LastSecond)
{
    public static StatTickMessage From(StatSnapshot snapshot)
    {
        // As SyncStatistics samples: the tick at (or just after) the start of a second closes the second before it.
        var ticks = snapshot.Timestamp.UtcTicks;
        var second = new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerSecond) - TimeSpan.TicksPerSecond, TimeSpan.Zero);
        return new StatTickMessage(snapshot.Timestamp.ToUnixTimeMilliseconds(), second.ToUnixTimeMilliseconds(), snapshot.Values, snapshot.LastSecond);
    }
}
