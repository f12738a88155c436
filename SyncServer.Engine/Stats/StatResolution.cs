namespace SyncServer.Engine.Stats;

/// <summary>The four time series every statistic is kept at (docs/metrics.md).</summary>
public enum StatResolution
{
    /// <summary>One point per second, the last 60 seconds.</summary>
    Second,

    /// <summary>One point per minute, the last 60 minutes (the newest point is the minute in progress).</summary>
    Minute,

    /// <summary>One point per hour, the last 24 hours (the newest point is the hour in progress).</summary>
    Hour,

    /// <summary>One point per UTC day, the last 30 days (the newest point is the day in progress).</summary>
    Day,
}
