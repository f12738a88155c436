namespace SyncServer.Engine.Stats;

/// <summary>
/// Every statistic at one moment. <see cref="Values"/>: counters' totals since the server started and gauges' current
/// values. <see cref="LastSecond"/>: what the last once-a-second sample recorded (a counter's increase during that
/// second, a gauge's value), i.e. the newest point of each <see cref="StatResolution.Second"/> series.
/// </summary>
public sealed record StatSnapshot(
    DateTimeOffset Timestamp, IReadOnlyDictionary<string, long> Values, IReadOnlyDictionary<string, long> LastSecond)
{
    /// <summary>The value of <paramref name="metric"/> (a <see cref="StatNames"/> constant), 0 when unknown.</summary>
    public long this[string metric] => Values.GetValueOrDefault(metric);
}
