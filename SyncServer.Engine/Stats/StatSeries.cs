namespace SyncServer.Engine.Stats;

/// <summary>
/// One statistic at one resolution: <see cref="Timestamps"/>[i] is the start of the interval (UTC, aligned to the
/// second/minute/hour/day) whose value is <see cref="Values"/>[i], oldest first. Intervals in which the server took no
/// sample (e.g. it was not running) have no point.
/// </summary>
public sealed record StatSeries(
    string Metric, StatResolution Resolution, IReadOnlyList<DateTimeOffset> Timestamps, IReadOnlyList<long> Values);
