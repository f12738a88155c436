using Microsoft.Playwright;

namespace SyncServer.Browser.Tests;

/// <summary>
/// The main pages at phone width (390×844, touch) against a fresh server with a few synced objects: the header's state
/// chip and theme button stay inside the viewport, no page scrolls sideways, object values are not cut off, and the
/// data grid still sorts. With SYNCSERVER_SCREENSHOTS=1 each page is also written as docs/screenshots/*-phone.png.
/// </summary>
[Collection(AdminServerGroup.Name)]
public sealed class PhoneLayoutUiTests(AdminServerFixture browser, FreshServerFixture fresh) : IClassFixture<FreshServerFixture>, IAsyncLifetime
{
    private IReadOnlyList<ulong> _projects = [];

    public async Task InitializeAsync() => _projects = await fresh.ProjectsAsync(); // the client stays connected: the clients page lists it

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string> Pages => new()
    {
        { "status", "status" },
        { "data", "data" },
        { "data/Project", "entity-grid" },
        { "data/Project/{id}", "object" },
        { "schema", "schema" },
        { "clients", "clients" },
        { "statistics", "statistics" },
        { "users", "users" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task At_phone_width_the_header_fits_and_the_page_does_not_scroll_sideways(string path, string screenshot)
    {
        var page = await PhonePageAsync();
        await page.GotoAsync(Url(path.Replace("{id}", _projects[0].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("h5, h6, .mud-breadcrumbs").First.WaitForAsync();

        foreach (var testId in new[] { "server-state", "theme-toggle" })
        {
            var box = await page.Locator($"[data-testid={testId}]").BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= AdminServerFixture.PhoneWidth && box.Y >= 0 && box.Y + box.Height <= AdminServerFixture.PhoneHeight,
                $"{testId} on /{path} is inside the 390×844 viewport (x {box.X}, width {box.Width}, y {box.Y})");
        }

        var overflow = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]");
        Assert.True(overflow[0] <= overflow[2] && overflow[1] <= overflow[2],
            $"/{path} does not scroll sideways (document {overflow[0]} px, body {overflow[1]} px, viewport {overflow[2]} px)");
        await AdminServerFixture.ScreenshotAsync(page, screenshot, fullPage: true);
    }

    [Fact]
    public async Task At_phone_width_the_object_page_shows_whole_values()
    {
        var page = await PhonePageAsync();
        await page.GotoAsync(Url($"data/Project/{_projects[0]}"));
        await AdminServerFixture.WaitInteractiveAsync(page);

        // Every value cell and the JSON end inside the viewport: nothing is cut off at the right edge.
        var rights = await page.Locator("[data-testid=object-properties] td, [data-testid=object-json]").EvaluateAllAsync<double[]>(
            "cells => cells.map(c => c.getBoundingClientRect().right)");
        Assert.NotEmpty(rights);
        Assert.All(rights, right => Assert.True(right <= AdminServerFixture.PhoneWidth, $"a value ends at {right} px, past the 390 px screen"));
        var name = page.Locator("[data-testid=object-properties] td").GetByText("Statistics project 1", new() { Exact = true });
        Assert.True(await name.IsVisibleAsync());
    }

    [Fact]
    public async Task At_phone_width_the_data_grid_sorts_by_a_tapped_header_and_the_sort_survives_a_reload_and_back()
    {
        var page = await PhonePageAsync();
        await page.GotoAsync(Url("data/Project"));
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=objects-grid] tbody").GetByText("Statistics project 3", new() { Exact = true }).WaitForAsync();
        Assert.Equal("Statistics project 1", await FirstNameAsync(page));

        var header = page.Locator("th").Filter(new() { Has = page.Locator("[data-testid=header-color]") }).Locator(".sortable-column-header");
        await header.TapAsync();
        await page.WaitForURLAsync("**/data/Project?sort=color");
        await header.TapAsync();
        await page.WaitForURLAsync("**/data/Project?sort=-color");
        await page.Locator("[data-testid=objects-grid] tbody tr").First.Filter(new() { HasTextString = "Statistics project 3" }).WaitForAsync();

        await page.ReloadAsync();
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=objects-grid] tbody").GetByText("Statistics project 3", new() { Exact = true }).WaitForAsync();
        Assert.Equal("Statistics project 3", await FirstNameAsync(page));
        Assert.EndsWith("/data/Project?sort=-color", page.Url, StringComparison.Ordinal);

        // To an object and back: the grid is in the same order.
        await page.Locator("[data-testid=objects-grid] tbody tr").First.Locator("a").First.TapAsync();
        await page.Locator("[data-testid=object-json]").WaitForAsync();
        await page.GoBackAsync();
        await page.WaitForURLAsync("**/data/Project?sort=-color");
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=objects-grid] tbody").GetByText("Statistics project 3", new() { Exact = true }).WaitForAsync();
        Assert.Equal("Statistics project 3", await FirstNameAsync(page));
    }

    [Fact]
    public async Task A_bad_page_or_sort_in_the_URL_shows_the_grid_with_the_defaults()
    {
        var page = await PhonePageAsync();
        await page.GotoAsync(Url("data/Project?page=zz&size=3&sort=-nosuch"));
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("[data-testid=objects-grid] tbody").GetByText("Statistics project 3", new() { Exact = true }).WaitForAsync();

        Assert.Equal("Statistics project 1", await FirstNameAsync(page));
        await page.WaitForURLAsync("**/data/Project");
    }

    private async Task<IPage> PhonePageAsync()
    {
        var page = await browser.NewPageAsync(phone: true);
        await AdminServerFixture.LoginAsync(page, fresh.Server.AdminUrl, FreshServerFixture.AdminUser, FreshServerFixture.AdminPassword);
        return page;
    }

    private string Url(string path) => new Uri(fresh.Server.AdminUrl, path).ToString();

    private static async Task<string> FirstNameAsync(IPage page) =>
        (await page.Locator("[data-testid=objects-grid] tbody tr").First.Locator("td").Nth(1).InnerTextAsync()).Trim();
}
