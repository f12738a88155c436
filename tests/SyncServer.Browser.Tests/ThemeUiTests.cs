using Microsoft.Playwright;

namespace SyncServer.Browser.Tests;

/// <summary>
/// Dark mode in Chromium: the choice survives a reload and a new tab (and the page is served in it, so nothing flashes),
/// charts' axis labels and legends follow the theme live, and the schema diagram reads in both themes.
/// </summary>
[Collection(AdminServerGroup.Name)]
public sealed class ThemeUiTests(AdminServerFixture browser, FreshServerFixture fresh) : IClassFixture<FreshServerFixture>
{
    // charts.js's axis and legend colours per theme.
    private const string LightAxis = "#37474f";
    private const string DarkAxis = "#d5dde6";

    [Fact]
    public async Task Dark_mode_is_kept_across_reloads_and_new_tabs_and_the_server_renders_the_page_dark()
    {
        var page = await LoggedInPageAsync();
        await page.GotoAsync(Url("status"));
        await AdminServerFixture.WaitInteractiveAsync(page);
        Assert.Equal("light", await ThemeAsync(page));

        await page.Locator("[data-testid=theme-toggle]").ClickAsync();
        await page.Locator(".mud-layout[data-theme=dark]").WaitForAsync();
        Assert.True(await BackgroundIsDarkAsync(page));

        // The HTML as the server sends it, before any script runs: already dark.
        var html = await (await page.Context.APIRequest.GetAsync(Url("status"))).TextAsync();
        Assert.Contains("data-theme=\"dark\"", html, StringComparison.Ordinal);

        await page.ReloadAsync();
        Assert.Equal("dark", await ThemeAsync(page)); // the prerendered page, before the circuit
        await AdminServerFixture.WaitInteractiveAsync(page);
        Assert.Equal("dark", await ThemeAsync(page));
        Assert.True(await BackgroundIsDarkAsync(page));

        var tab = await page.Context.NewPageAsync();
        await tab.GotoAsync(Url("data"));
        await AdminServerFixture.WaitInteractiveAsync(tab);
        Assert.Equal("dark", await ThemeAsync(tab));

        await tab.Locator("[data-testid=theme-toggle]").ClickAsync();
        await tab.Locator(".mud-layout[data-theme=light]").WaitForAsync();
        await page.ReloadAsync();
        await AdminServerFixture.WaitInteractiveAsync(page);
        Assert.Equal("light", await ThemeAsync(page));
    }

    [Fact]
    public async Task Chart_axes_and_legends_take_the_themes_colours_and_follow_a_switch_live()
    {
        var page = await LoggedInPageAsync();
        await page.GotoAsync(Url("statistics"));
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=chart-clients] .apexcharts-yaxis-label").First.WaitForAsync();
        Assert.Equal(LightAxis, await AxisColourAsync(page));
        Assert.Equal("rgb(55, 71, 79)", await LegendColourAsync(page));

        await page.Locator("[data-testid=theme-toggle]").ClickAsync();

        await page.WaitForFunctionAsync(
            "c => document.querySelector('[data-testid=chart-clients] .apexcharts-yaxis-label').getAttribute('fill') === c", DarkAxis);
        Assert.Equal("rgb(213, 221, 230)", await LegendColourAsync(page));
        Assert.Equal("dark", await page.Locator("[data-testid=chart-clients]").GetAttributeAsync("data-theme"));

        await page.ReloadAsync(); // created dark from the start
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=chart-clients] .apexcharts-yaxis-label").First.WaitForAsync();
        Assert.Equal(DarkAxis, await AxisColourAsync(page));
        await page.Locator("[data-testid=theme-toggle]").ClickAsync(); // back to light for the other tests
        await page.Locator(".mud-layout[data-theme=light]").WaitForAsync();
    }

    [Fact]
    public async Task The_type_diagram_reads_in_both_themes()
    {
        var page = await LoggedInPageAsync();
        await page.GotoAsync(Url("schema"));
        await AdminServerFixture.WaitInteractiveAsync(page);
        var name = page.Locator("[data-testid=node-Task] .node-name");
        var light = await ContrastAsync(name);

        await page.Locator("[data-testid=theme-toggle]").ClickAsync();
        await page.Locator(".mud-layout[data-theme=dark]").WaitForAsync();
        var dark = await ContrastAsync(name);
        await page.Locator("[data-testid=theme-toggle]").ClickAsync();

        Assert.True(light > 4.5, $"dark text on a light box (contrast {light:0.0})");
        Assert.True(dark > 4.5, $"light text on a dark box (contrast {dark:0.0})");
    }

    private async Task<IPage> LoggedInPageAsync()
    {
        var page = await browser.NewPageAsync();
        await AdminServerFixture.LoginAsync(page, fresh.Server.AdminUrl, FreshServerFixture.AdminUser, FreshServerFixture.AdminPassword);
        return page;
    }

    private string Url(string path) => new Uri(fresh.Server.AdminUrl, path).ToString();

    private static async Task<string?> ThemeAsync(IPage page) => await page.Locator(".mud-layout").GetAttributeAsync("data-theme");

    private static Task<bool> BackgroundIsDarkAsync(IPage page) => page.EvaluateAsync<bool>("""
        () => {
            const [r, g, b] = getComputedStyle(document.querySelector('.mud-layout')).backgroundColor.match(/\d+/g).map(Number);
            return r + g + b < 3 * 100;
        }
        """);

    private static async Task<string?> AxisColourAsync(IPage page) =>
        await page.Locator("[data-testid=chart-clients] .apexcharts-yaxis-label").First.GetAttributeAsync("fill");

    private static Task<string> LegendColourAsync(IPage page) =>
        page.Locator("[data-testid=chart-clients] .apexcharts-legend-text").First.EvaluateAsync<string>("e => e.style.color"); // set by ApexCharts

    // WCAG contrast between an SVG text's fill and its box's fill.
    private static Task<double> ContrastAsync(ILocator text) => text.EvaluateAsync<double>("""
        t => {
            const lum = c => {
                const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
                    .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
            };
            const fg = lum(getComputedStyle(t).fill);
            const bg = lum(getComputedStyle(t.parentNode.querySelector('rect')).fill);
            return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        }
        """);
}
