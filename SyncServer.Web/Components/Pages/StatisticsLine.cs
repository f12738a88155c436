namespace SyncServer.Web.Components.Pages;

/// <summary>One line of a statistics chart: the statistic (a <see cref="Engine.Stats.StatNames"/> constant) and its legend.</summary>
internal sealed record StatisticsLine(string Metric, string Label);
