namespace SyncServer.Web.Components.Charts;

/// <summary>One point of a line: the start of its interval (UTC) and the value.</summary>
public readonly record struct ChartPoint(DateTimeOffset Time, long Value);
