namespace SyncServer.Engine.Stats;

/// <summary>How a statistic behaves over time, and so how its series points are aggregated.</summary>
public enum StatMetricKind
{
    /// <summary>Only grows. A series point is the increase during its interval (sum of the seconds).</summary>
    Counter,

    /// <summary>A current value. A series point is the highest value sampled during its interval.</summary>
    Gauge,
}
