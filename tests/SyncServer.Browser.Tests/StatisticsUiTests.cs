using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace SyncServer.Browser.Tests;

/// <summary>
/// The statistics page and the stats hub against a fresh server process (<see cref="FreshServerFixture"/>), in the
/// shared Chromium of <see cref="AdminServerFixture"/>. A raw sync client makes the traffic.
/// </summary>
[Collection(AdminServerGroup.Name)]
public sealed class StatisticsUiTests(AdminServerFixture browser, FreshServerFixture fresh) : IClassFixture<FreshServerFixture>
{
    private const int Transactions = 5;

    [Fact]
    public async Task Chart_points_grow_while_a_client_syncs_and_the_applied_TXs_chart_shows_its_transactions()
    {
        var page = await browser.NewPageAsync();
        await AdminServerFixture.LoginAsync(page, fresh.Server.AdminUrl, FreshServerFixture.AdminUser, FreshServerFixture.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Statistics", Exact = true }).ClickAsync(); // the nav drawer
        await page.WaitForURLAsync("**/statistics");
        await page.Locator("[data-testid=chart-applied-txs] svg").First.WaitForAsync(); // drawn by ApexCharts
        var before = await PointsAsync(page, "applied-txs");
        Assert.InRange(before, 0, 59); // a young server: the per-second series is still filling up

        await using (var client = await RawSyncClient.ConnectAsync(fresh.Server.SyncPort))
        {
            await SyncTraffic.ApplyTransactionsAsync(client, Transactions);

            // Live, without a reload: new seconds arrive, and the applied TXs chart holds this client's transactions.
            await page.WaitForFunctionAsync(
                "([key, n]) => Number(document.querySelector(`[data-testid=chart-${key}]`).dataset.points) > n", new object[] { "applied-txs", before });
            await page.WaitForFunctionAsync(
                "([key, n]) => Number(document.querySelector(`[data-testid=chart-${key}]`).dataset.sum) >= n", new object[] { "applied-txs", Transactions });
            await page.WaitForFunctionAsync(
                "([key, n]) => Number(document.querySelector(`[data-testid=chart-${key}]`).dataset.sum) >= n", new object[] { "clients", 1 });
            Assert.Contains($"from clients {Transactions} total", await page.Locator("[data-testid=panel-applied-txs]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.True(await PointsAsync(page, "messages") > before, "every chart gets the new seconds");
            await AdminServerFixture.ScreenshotAsync(page, "statistics", fullPage: true);
        }

        // Minute resolution: the history of the minutes, the newest one holding the transactions.
        await page.Locator("[data-testid=resolution-minute]").ClickAsync();
        await page.WaitForFunctionAsync(
            "([key, n]) => { const e = document.querySelector(`[data-testid=chart-${key}]`); return Number(e.dataset.points) <= 2 && Number(e.dataset.sum) >= n; }",
            new object[] { "applied-txs", Transactions });
        Assert.Contains("per minute", await page.Locator("[data-testid=statistics-caption]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_hour_and_day_resolution_the_single_point_is_drawn_on_an_axis_around_it()
    {
        var page = await browser.NewPageAsync();
        await AdminServerFixture.LoginAsync(page, fresh.Server.AdminUrl, FreshServerFixture.AdminUser, FreshServerFixture.AdminPassword);
        await page.GotoAsync(new Uri(fresh.Server.AdminUrl, "statistics").ToString());
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=chart-clients] svg").First.WaitForAsync();

        foreach (var (resolution, interval) in new[] { ("hour", TimeSpan.FromHours(1)), ("day", TimeSpan.FromDays(1)) })
        {
            // A young server has one hour and one day: one point per line.
            await page.Locator($"[data-testid=resolution-{resolution}]").ClickAsync();
            await page.Locator("[data-testid=statistics-caption]").Filter(new() { HasTextString = "per " + resolution }).WaitForAsync();
            await page.WaitForFunctionAsync(
                "() => document.querySelector('[data-testid=chart-clients]').dataset.points === '1'");

            // The point is drawn (a marker, since one point makes no line) ...
            var markers = await page.Locator("[data-testid=chart-clients] .apexcharts-series-markers .apexcharts-marker").EvaluateAllAsync<double[]>(
                "ms => ms.map(m => m.getBBox().width)");
            Assert.NotEmpty(markers);
            Assert.All(markers, width => Assert.True(width > 0, "a visible marker"));

            // ... and the time axis spans about one interval around it, not days.
            var range = await page.EvaluateAsync<double[]>(
                "() => { const g = document.querySelector('[data-testid=chart-clients]').__syncServerChart.chart.w.globals; return [g.minX, g.maxX]; }");
            var span = TimeSpan.FromMilliseconds(range[1] - range[0]);
            Assert.InRange(span, TimeSpan.FromTicks(interval.Ticks / 2), interval * 1.5);
        }
    }

    [Fact]
    public async Task The_stats_hub_serves_series_and_pushes_a_tick_a_second_to_a_logged_in_admin()
    {
        var page = await browser.NewPageAsync();
        await AdminServerFixture.LoginAsync(page, fresh.Server.AdminUrl, FreshServerFixture.AdminUser, FreshServerFixture.AdminPassword);
        var cookies = string.Join("; ", (await page.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(fresh.Server.AdminUrl, "hubs/stats"), o => o.Headers["Cookie"] = cookies)
            .Build();
        var ticks = Channel.CreateUnbounded<JsonElement>();
        hub.On<JsonElement>("tick", tick => ticks.Writer.TryWrite(tick));
        await hub.StartAsync();

        var metrics = await hub.InvokeAsync<JsonElement>("GetMetrics");
        var connected = metrics.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "clients.connected");
        Assert.Equal("gauge", connected.GetProperty("kind").GetString());
        Assert.Equal("{client}", connected.GetProperty("unit").GetString());
        var refused = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<JsonElement>("GetSeries", "no.such.metric", "second"));
        Assert.Contains("There is no statistic 'no.such.metric'", refused.Message, StringComparison.Ordinal);

        await hub.InvokeAsync("Subscribe");
        await using (var client = await RawSyncClient.ConnectAsync(fresh.Server.SyncPort))
        {
            await SyncTraffic.ApplyTransactionsAsync(client, 2);
        }

        // Ticks keep coming, one a second; within a few the two transactions show in a second's point and the totals.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        JsonElement tick;
        long applied = 0, previousSecond = 0;
        do
        {
            tick = await ticks.Reader.ReadAsync(timeout.Token);
            var second = tick.GetProperty("second").GetInt64();
            Assert.True(second > previousSecond, "one tick per second, in order");
            Assert.Equal(0, second % 1000);
            Assert.InRange(tick.GetProperty("timestamp").GetInt64() - second, 1000, 3000);
            previousSecond = second;
            applied += tick.GetProperty("lastSecond").GetProperty("txs.applied.client").GetInt64();
        }
        while (applied < 2);
        Assert.True(tick.GetProperty("totals").GetProperty("txs.applied.client").GetInt64() >= 2);

        var series = await hub.InvokeAsync<JsonElement>("GetSeries", "txs.applied.client", "second");
        Assert.Equal("second", series.GetProperty("resolution").GetString());
        var timestamps = series.GetProperty("timestamps").EnumerateArray().Select(t => t.GetInt64()).ToList();
        var values = series.GetProperty("values").EnumerateArray().Select(v => v.GetInt64()).ToList();
        Assert.Equal(timestamps.Count, values.Count);
        Assert.Contains(previousSecond, timestamps);
        Assert.True(values.Sum() >= 2);

        await hub.InvokeAsync("Unsubscribe");
        while (ticks.Reader.TryRead(out _))
        {
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // no event to wait for: the absence of ticks is the point
        Assert.False(ticks.Reader.TryRead(out _), "no ticks after Unsubscribe");
    }

    private static async Task<int> PointsAsync(IPage page, string chart) =>
        int.Parse(await page.Locator($"[data-testid=chart-{chart}]").GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
}
