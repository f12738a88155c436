using SyncServer.Web.Components.Charts;

namespace SyncServer.Web.Components.Pages;

/// <summary>One chart of the statistics page: a key (its <c>data-testid</c> is <c>chart-{Key}</c>), a title, and one line
/// per statistic.</summary>
internal sealed record StatisticsChart(string Key, string Title, ChartValueFormat Format, IReadOnlyList<StatisticsLine> Lines);
