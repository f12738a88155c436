using SyncServer.Engine.Stats;

namespace SyncServer.Web.Hubs;

/// <summary>A statistic as the stats hub describes it: <c>{ name, kind: "counter" | "gauge", unit, description }</c>.</summary>
internal sealed record StatMetricMessage(string Name, string Kind, string Unit, string Description)
{
    public static StatMetricMessage From(StatMetric metric) =>
        new(metric.Name, metric.Kind == StatMetricKind.Gauge ? "gauge" : "counter", metric.Unit, metric.Description);
}
