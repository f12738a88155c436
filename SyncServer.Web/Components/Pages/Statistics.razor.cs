using System.Globalization;
using Microsoft.AspNetCore.Components;
using SyncServer.Engine.Stats;
using SyncServer.Web.Components.Charts;
using SyncServer.Web.Formatting;
using SyncServer.Web.Services;

namespace SyncServer.Web.Components.Pages;

/// <summary>
/// Line charts of the engine's statistics (<see cref="StatisticsCharts"/>) at one resolution. The history comes from the
/// series (<see cref="IAdminService.StatisticSeries"/>); while auto-update is on, each once-a-second tick adds the newest
/// point of every series to its chart (a new second; at minute, hour and day resolution the interval in progress is
/// refreshed until the next one starts).
/// </summary>
public sealed partial class Statistics : IDisposable
{
    private readonly Dictionary<string, ApexLineChart> _charts = [];
    private Dictionary<string, StatMetricKind> _kinds = [];
    private StatResolution _resolution = StatResolution.Second;
    private bool _autoUpdate = true;
    private StatSnapshot? _latest;
    private IDisposable? _subscription;

    [Inject]
    private IAdminService Admin { get; set; } = default!;

    internal static IReadOnlyList<StatisticsChart> Charts => StatisticsCharts.All;

    internal StatResolution Resolution => _resolution;

    internal bool AutoUpdate => _autoUpdate;

    private string LastUpdateText => _latest is { } tick
        ? string.Create(CultureInfo.InvariantCulture, $" (last {tick.Timestamp.UtcDateTime:HH:mm:ss} UTC)")
        : "";

    protected override void OnInitialized() =>
        _kinds = Admin.StatisticMetrics().ToDictionary(m => m.Name, m => m.Kind, StringComparer.Ordinal);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Only once interactive: a prerendered page has no circuit, so it subscribes after the first render and re-renders
        // through InvokeAsync (the feed calls back on its own thread); the subscription is disposed with the page.
        if (firstRender)
        {
            _subscription = Admin.SubscribeStatistics(tick => _ = InvokeAsync(() => OnTickAsync(tick)));
            await LoadHistoryAsync();
        }
    }

    public void Dispose() => _subscription?.Dispose();

    /// <summary>Another resolution: every chart gets that resolution's history.</summary>
    internal async Task SetResolutionAsync(StatResolution resolution)
    {
        _resolution = resolution;
        await LoadHistoryAsync();
    }

    /// <summary>Off: the charts stay as they are. On again: the history is reloaded (it filled the gap meanwhile).</summary>
    internal async Task SetAutoUpdateAsync(bool on)
    {
        _autoUpdate = on;
        if (on)
        {
            await LoadHistoryAsync();
        }
    }

    private Task LoadHistoryAsync()
    {
        var timeFormat = StatisticsCharts.TimeFormat(_resolution);
        var interval = StatisticsCharts.Interval(_resolution);
        return Task.WhenAll(Charts.Select(chart => _charts[chart.Key].SetLinesAsync(
            [.. chart.Lines.Select(line => new ChartLine(line.Label, Points(Admin.StatisticSeries(line.Metric, _resolution))))],
            timeFormat,
            interval)));
    }

    private async Task OnTickAsync(StatSnapshot tick)
    {
        if (!_autoUpdate)
        {
            return;
        }

        _latest = tick;
        var maxPoints = StatisticsCharts.MaxPoints(_resolution);
        var updates = new List<Task>(Charts.Count);
        foreach (var chart in Charts)
        {
            // The newest point of each line's series: the second that just ended, or the minute/hour/day in progress.
            // They share a timestamp: every statistic is sampled by the same tick.
            var newest = chart.Lines.Select(line => Admin.StatisticSeries(line.Metric, _resolution)).ToList();
            if (newest.Any(series => series.Timestamps.Count == 0))
            {
                continue;
            }

            updates.Add(_charts[chart.Key].AppendAsync(newest[0].Timestamps[^1], [.. newest.Select(series => series.Values[^1])], maxPoints));
        }

        StateHasChanged();
        await Task.WhenAll(updates);
    }

    /// <summary>Totals since the server started (gauges: the value now), from the latest tick.</summary>
    private string Summary(StatisticsChart chart)
    {
        if (_latest is not { } tick)
        {
            return "";
        }

        return string.Join(" · ", chart.Lines.Select(line =>
        {
            var value = tick[line.Metric];
            var text = chart.Format == ChartValueFormat.Bytes ? CellFormatter.SizeText(value) : value.ToString("N0", CultureInfo.InvariantCulture);
            var when = _kinds.GetValueOrDefault(line.Metric) == StatMetricKind.Gauge ? "now" : "total";
            return $"{line.Label} {text} {when}";
        }));
    }

    private static List<ChartPoint> Points(StatSeries series) =>
        [.. series.Timestamps.Select((time, i) => new ChartPoint(time, series.Values[i]))];
}
