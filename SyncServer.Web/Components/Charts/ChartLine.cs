namespace SyncServer.Web.Components.Charts;

/// <summary>One line of a chart: its legend name and its points, oldest first.</summary>
public sealed record ChartLine(string Name, IReadOnlyList<ChartPoint> Points);
