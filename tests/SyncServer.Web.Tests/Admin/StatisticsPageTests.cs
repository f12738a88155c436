using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SyncServer.Engine.Stats;
using SyncServer.Web.Components.Charts;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

/// <summary>
/// The statistics page over a real <see cref="SyncStatistics"/> driven by a <see cref="FakeTimeProvider"/> (each
/// second the clock advances is one tick); only the charts' JS module is a bUnit stand-in, whose calls are checked.
/// </summary>
public sealed class StatisticsPageTests : BunitTestBase
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly BunitJSModuleInterop _module;

    public StatisticsPageTests()
    {
        Services.AddMetrics();
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton<SyncStatistics>();
        Services.AddSingleton<IAdminService>(sp => new FakeAdminService(sp.GetRequiredService<SyncStatistics>()));
        _module = JSInterop.SetupModule(ApexLineChart.ModulePath);
        _module.Mode = JSRuntimeMode.Loose;
    }

    private SyncStatistics Stats => Services.GetRequiredService<SyncStatistics>();

    [Fact]
    public void The_charts_group_the_statistics_the_operators_need_each_once()
    {
        var charted = Statistics.Charts.SelectMany(c => c.Lines.Select(l => l.Metric)).ToList();
        Assert.Equal(charted.Count, charted.Distinct().Count());
        Assert.All(charted, metric => Assert.Contains(metric, Stats.MetricNames));
        Assert.Equal(
            Stats.MetricNames.Except([StatNames.TxsAppliedBytes, StatNames.TxsAppliedOperations, StatNames.DatabaseSize, StatNames.TxLogSize, StatNames.TxLogEntries]).Order(),
            charted.Order());
        Assert.Equal(
            [StatNames.ClientsConnected, StatNames.ClientsConnects],
            Statistics.Charts.Single(c => c.Key == "clients").Lines.Select(l => l.Metric));
        Assert.Equal(ChartValueFormat.Bytes, Statistics.Charts.Single(c => c.Key == "bytes").Format);

        var cut = Render<Statistics>();
        foreach (var chart in Statistics.Charts)
        {
            Assert.Contains(chart.Title, cut.Find($"[data-testid=panel-{chart.Key}]").TextContent, StringComparison.Ordinal);
            Assert.Single(cut.FindAll($"[data-testid=chart-{chart.Key}]"));
        }
    }

    [Fact]
    public void Each_chart_is_created_in_the_browser_with_the_second_history()
    {
        Stats.Add(StatCounter.TxsAppliedClient, 3);
        Tick();
        Stats.Add(StatCounter.TxsAppliedClient, 2);
        Tick();

        var cut = Render<Statistics>();

        cut.WaitForAssertion(() => Assert.Equal(Statistics.Charts.Count, _module.Invocations["create"].Count));
        var applied = Chart(cut, "applied-txs");
        Assert.Equal(["from clients", "local"], applied.Lines.Select(l => l.Name));
        Assert.Equal([new ChartPoint(Start, 3), new ChartPoint(Start.AddSeconds(1), 2)], applied.Lines[0].Points);
        Assert.Equal([0L, 0], applied.Lines[1].Points.Select(p => p.Value));
    }

    [Fact]
    public void Switching_the_resolution_loads_that_series_into_every_chart()
    {
        Stats.Add(StatCounter.TxsAppliedClient, 3);
        Tick(); // 10:00:01: sample of 10:00:00
        Tick(60); // 10:01:01: samples up to 10:01:00
        Stats.Add(StatCounter.TxsAppliedClient, 4);
        Stats.Add(StatCounter.MessageBytesIn, 5000);
        Tick(); // 10:01:02: sample of 10:01:01
        var cut = Render<Statistics>();
        cut.WaitForAssertion(() => Assert.Equal(Statistics.Charts.Count, _module.Invocations["create"].Count));
        Assert.Equal(60, Chart(cut, "applied-txs").Lines[0].Points.Count); // the last 60 seconds

        cut.Find("[data-testid=resolution-minute]").Click();

        Assert.Equal(StatResolution.Minute, cut.Instance.Resolution);
        var minute = Stats.Get(StatNames.TxsAppliedClient, StatResolution.Minute);
        Assert.Equal([Start, Start.AddMinutes(1)], minute.Timestamps);
        Assert.Equal([new ChartPoint(Start, 3), new ChartPoint(Start.AddMinutes(1), 4)], Chart(cut, "applied-txs").Lines[0].Points);
        Assert.Equal([new ChartPoint(Start, 0), new ChartPoint(Start.AddMinutes(1), 5000)], Chart(cut, "bytes").Lines[0].Points);
        var reloads = _module.Invocations["replaceSeries"];
        Assert.Equal(Statistics.Charts.Count, reloads.Count(i => Equals(i.Arguments[2], "HH:mm")));
        Assert.All(reloads, i => Assert.Equal(60_000L, i.Arguments[3])); // a minute: the axis pads half of it either side

        cut.Find("[data-testid=resolution-day]").Click();

        Assert.Equal([new ChartPoint(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), 7)], Chart(cut, "applied-txs").Lines[0].Points);
        Assert.Contains("per day", cut.Find("[data-testid=statistics-caption]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_tick_appends_the_new_second_and_nothing_while_auto_update_is_off()
    {
        var cut = Render<Statistics>();
        cut.WaitForAssertion(() => Assert.Equal(Statistics.Charts.Count, _module.Invocations["create"].Count));

        Stats.Add(StatCounter.TxsAppliedClient, 2);
        Tick();

        cut.WaitForAssertion(() => Assert.Equal(Statistics.Charts.Count, _module.Invocations["appendPoints"].Count));
        Assert.Equal([new ChartPoint(Start, 2)], Chart(cut, "applied-txs").Lines[0].Points);
        var append = _module.Invocations["appendPoints"].Single(i => ((IReadOnlyList<long>)i.Arguments[2]!).SequenceEqual([2L, 0L]));
        Assert.Equal(Start.ToUnixTimeMilliseconds(), append.Arguments[1]);
        Assert.Equal(60, append.Arguments[3]);
        cut.WaitForAssertion(() => Assert.Contains("from clients 2 total", cut.Find("[data-testid=panel-applied-txs]").TextContent, StringComparison.Ordinal));

        cut.Find("input[data-testid=auto-update]").Change(false);
        Assert.False(cut.Instance.AutoUpdate);
        Stats.Add(StatCounter.TxsAppliedClient, 5);
        Tick(3);

        Assert.Equal(Statistics.Charts.Count, _module.Invocations["appendPoints"].Count);
        Assert.Single(Chart(cut, "applied-txs").Lines[0].Points);
        Assert.Contains("Auto-update is off", cut.Find("[data-testid=statistics-caption]").TextContent, StringComparison.Ordinal);

        cut.Find("input[data-testid=auto-update]").Change(true); // back on: the gap is filled from the series

        Assert.Equal([2L, 5, 0, 0], Chart(cut, "applied-txs").Lines[0].Points.Select(p => p.Value));
        Tick();
        cut.WaitForAssertion(() => Assert.Equal(5, Chart(cut, "applied-txs").Lines[0].Points.Count));
    }

    [Fact]
    public void At_minute_resolution_a_tick_refreshes_the_minute_in_progress_until_the_next_one_starts()
    {
        var cut = Render<Statistics>();
        cut.Find("[data-testid=resolution-minute]").Click();

        Stats.Add(StatCounter.MessagesIn, 2);
        Tick();
        Stats.Add(StatCounter.MessagesIn, 3);
        Tick();

        cut.WaitForAssertion(() => Assert.Equal([new ChartPoint(Start, 5)], Chart(cut, "messages").Lines[0].Points));

        Tick(59); // the tick at 10:01:01 starts the minute 10:01
        Stats.Add(StatCounter.MessagesIn, 1);
        Tick();

        cut.WaitForAssertion(() => Assert.Equal(
            [new ChartPoint(Start, 5), new ChartPoint(Start.AddMinutes(1), 1)], Chart(cut, "messages").Lines[0].Points));
        Assert.All(_module.Invocations["appendPoints"], i => Assert.Equal(60, i.Arguments[3]));
    }

    [Fact]
    public async Task Leaving_the_page_unsubscribes_and_destroys_the_charts()
    {
        var cut = Render<Statistics>();
        cut.WaitForAssertion(() => Assert.Equal(Statistics.Charts.Count, _module.Invocations["create"].Count));

        await DisposeComponentsAsync();
        Tick(2);

        Assert.Empty(_module.Invocations["appendPoints"]);
        Assert.Equal(Statistics.Charts.Count, _module.Invocations["destroy"].Count);
        Assert.Null(((FakeAdminService)Services.GetRequiredService<IAdminService>()).Subscriber);
    }

    /// <summary>Advances the clock one second at a time: one statistics tick each.</summary>
    private void Tick(int seconds = 1)
    {
        for (var i = 0; i < seconds; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
        }
    }

    private static ApexLineChart Chart(IRenderedComponent<Statistics> cut, string key) =>
        cut.FindComponents<ApexLineChart>().Single(c => c.Instance.Name == key).Instance;
}
