using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using SyncServer.Engine.Logging;

namespace SyncServer.Web.Components.Charts;

// One per chart on a page; called on the renderer's thread only (through InvokeAsync from elsewhere).
/// <summary>
/// A line chart (ApexCharts 4.7.0 through wwwroot/js/charts.js) whose lines are set and extended from C#. The component
/// keeps its own copy of the points, so calls made before the chart exists in the browser (before the first render, or
/// while the library loads) are not lost: the chart is created with whatever the copy holds by then. JS calls are made
/// in call order and the module runs them in that order.
/// </summary>
public sealed partial class ApexLineChart : IAsyncDisposable
{
    /// <summary>The JS module, relative to the base href.</summary>
    public const string ModulePath = "./js/charts.js";

    private readonly List<(string Name, List<ChartPoint> Points)> _lines = [];
    private ElementReference _element;
    private IJSObjectReference? _module;
    private string _timeFormat = "HH:mm:ss";
    private TimeSpan _interval = TimeSpan.FromSeconds(1);
    private bool _created;
    private bool _dark;
    private bool _disposed;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private ILoggerFactory Loggers { get; set; } = default!;

    /// <summary>Names the chart in the page (<c>data-testid="chart-{Name}"</c>).</summary>
    [Parameter, EditorRequired]
    public string Name { get; set; } = "";

    [Parameter]
    public ChartValueFormat Format { get; set; }

    /// <summary>Height of the plot in pixels.</summary>
    [Parameter]
    public int Height { get; set; } = 220;

    /// <summary>The theme shown (cascaded by the layout): axis labels, legend, grid and tooltip follow it, also live.</summary>
    [CascadingParameter(Name = Layout.ThemeCookie.DarkMode)]
    public bool DarkMode { get; set; }

    /// <summary>The lines as the chart has them now (this component's copy).</summary>
    public IReadOnlyList<ChartLine> Lines => [.. _lines.Select(l => new ChartLine(l.Name, [.. l.Points]))];

    /// <summary>
    /// Replaces every line; <paramref name="timeFormat"/> is the tooltip's time format (e.g. <c>HH:mm:ss</c>), and
    /// <paramref name="interval"/> what one point covers: the time axis spans the points and half an interval either
    /// side (a single point sits in the middle), and a line of a single point is drawn as a marker.
    /// </summary>
    public Task SetLinesAsync(IReadOnlyList<ChartLine> lines, string timeFormat, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(timeFormat);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _lines.Clear();
        _lines.AddRange(lines.Select(l => (l.Name, new List<ChartPoint>(l.Points))));
        _timeFormat = timeFormat;
        _interval = interval;
        return _created ? CallAsync("replaceSeries", _element, ToJs(), timeFormat, IntervalMs) : Task.CompletedTask;
    }

    /// <summary>
    /// Adds a point at <paramref name="time"/> to every line (<paramref name="values"/> in line order). When a line's
    /// newest point has that time, its value is replaced instead (an interval in progress); an older time is ignored.
    /// Each line keeps at most <paramref name="maxPoints"/>, dropping the oldest.
    /// </summary>
    public Task AppendAsync(DateTimeOffset time, IReadOnlyList<long> values, int maxPoints)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPoints);
        for (var i = 0; i < _lines.Count && i < values.Count; i++)
        {
            var points = _lines[i].Points;
            if (points.Count > 0 && points[^1].Time == time)
            {
                points[^1] = new ChartPoint(time, values[i]);
            }
            else if (points.Count == 0 || points[^1].Time < time)
            {
                points.Add(new ChartPoint(time, values[i]));
            }

            if (points.Count > maxPoints)
            {
                points.RemoveRange(0, points.Count - maxPoints);
            }
        }

        return _created ? CallAsync("appendPoints", _element, time.ToUnixTimeMilliseconds(), values, maxPoints) : Task.CompletedTask;
    }

    protected override Task OnParametersSetAsync()
    {
        if (!_created || DarkMode == _dark)
        {
            return Task.CompletedTask;
        }

        _dark = DarkMode;
        return CallAsync("setTheme", _element, _dark);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", ModulePath);
        }
        catch (JSDisconnectedException)
        {
            return;
        }

        if (_disposed)
        {
            return;
        }

        // From here on every change goes to the browser; the module queues it behind the chart's creation.
        _created = true;
        _dark = DarkMode;
        await CallAsync("create", _element, new JsConfig(Height, FormatName(Format), _timeFormat, IntervalMs, _dark), ToJs());
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_module is null)
        {
            return;
        }

        try
        {
            if (_created)
            {
                await _module.InvokeVoidAsync("destroy", _element);
            }

            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the chart with it.
        }
    }

    // Starts the call before returning (the JS calls go out in call order); a failure is logged, not thrown: a broken
    // chart must not take the page down.
    private async Task CallAsync(string function, params object?[] args)
    {
        try
        {
            await _module!.InvokeVoidAsync(function, args);
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone.
        }
        catch (JSException e)
        {
            ChartLog.CallFailed(Loggers.CreateLogger(LogTags.Http), function, Name, e.Message);
        }
    }

    private long IntervalMs => (long)_interval.TotalMilliseconds;

    private JsSeries[] ToJs() =>
        [.. _lines.Select(l => new JsSeries(l.Name, [.. l.Points.Select(p => new[] { p.Time.ToUnixTimeMilliseconds(), p.Value })]))];

    private static string FormatName(ChartValueFormat format) => format == ChartValueFormat.Bytes ? "bytes" : "count";

    // What charts.js takes (camelCase by the JS interop serializer).
    private sealed record JsConfig(int Height, string Format, string TimeFormat, long IntervalMs, bool Dark);

    private sealed record JsSeries(string Name, long[][] Data);
}
