using SyncServer.Engine.Stats;

namespace SyncServer.Web.Hubs;

/// <summary>
/// A series as the stats hub sends it: <c>{ metric, resolution: "second" | "minute" | "hour" | "day", timestamps: [unix
/// ms, ...], values: [...] }</c>, oldest first; <c>timestamps[i]</c> is the start of the interval of <c>values[i]</c>.
/// </summary>
internal sealed record StatSeriesMessage(string Metric, string Resolution, IReadOnlyList<long> Timestamps, IReadOnlyList<long> Values)
{
    public static StatSeriesMessage From(StatSeries series) => new(
        series.Metric,
        series.Resolution.ToString().ToLowerInvariant(),
        [.. series.Timestamps.Select(t => t.ToUnixTimeMilliseconds())],
        [.. series.Values]);
}
