using SyncServer.Web.Components.Charts;

namespace SyncServer.Web.Components.Pages;

/// <summary>One chart of the statistics page: a key (its <c>data-testid</c> is <c>chart-{Key}</c>), a title, and one line
/// per statistic.</summary>
internal sealed record StatisticsChart(string Key, string Title, ChartValueFormat Format, IReadOnlyList<StatisticsLine> Lines);

/// <summary>One line of a statistics chart: the statistic (a <see cref="Engine.Stats.StatNames"/> constant) and its legend.</summary>
internal sealed record StatisticsLine(string Metric, string Label);
