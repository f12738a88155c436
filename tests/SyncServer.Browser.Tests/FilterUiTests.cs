using System.Globalization;
using Microsoft.Playwright;

namespace SyncServer.Browser.Tests;

/// <summary>
/// The sync filter pages on a real server process started with a filter on Task (<see cref="FilteredServerFixture"/>):
/// the filter as configured, each client's variables and visible count, and the explain view for an object the client
/// can see and one it cannot, in the shared Chromium of <see cref="AdminServerFixture"/>.
/// </summary>
[Collection(AdminServerGroup.Name)]
public sealed class FilterUiTests(AdminServerFixture browser, FilteredServerFixture server) : IClassFixture<FilteredServerFixture>
{
    [Fact]
    public async Task The_sync_filters_page_shows_the_configured_filter_of_Task()
    {
        var page = await LoginAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sync filters", Exact = true }).ClickAsync(); // the nav drawer
        await page.WaitForURLAsync("**/filters");

        Assert.Equal(FilteredServerFixture.TaskFilter, await page.Locator("[data-testid=filter-expression-Task]").InnerTextAsync());
        Assert.Contains("client.owner", await page.Locator("[data-testid=filter-variables-Task]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=filter-entity-Project]").CountAsync());
    }

    [Fact]
    public async Task The_explain_view_says_visible_for_an_object_that_matches_and_shows_the_evaluation()
    {
        var page = await LoginAsync();
        await page.GotoAsync(new Uri(server.Server.AdminUrl, $"filters/explain?client={server.Alice}&entity=Task&id={server.AliceTask}").ToString());
        await AdminServerFixture.WaitInteractiveAsync(page);

        var verdict = await page.Locator("[data-testid=explain-visible]").InnerTextAsync();
        Assert.StartsWith($"Visible: client {server.Alice} can see Task {server.AliceTask}", verdict.Trim(), StringComparison.Ordinal);
        Assert.Equal($"Client {server.Alice} can see Task {server.AliceTask}: it matches the filter", await page.Locator("[data-testid=explain-summary]").InnerTextAsync());
        Assert.Equal(FilteredServerFixture.TaskFilter, await page.Locator("[data-testid=explain-expression]").InnerTextAsync());
        Assert.Equal("\"alice\"", await page.Locator("[data-testid='explain-variable-$client.owner']").InnerTextAsync());
        var lines = (await page.Locator("[data-testid=explain-lines]").InnerTextAsync()).Split('\n');
        Assert.StartsWith("OR → true", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("  notes ", StringComparison.Ordinal) && l.Contains("notes is \"alice\" → true", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  priority > 2", StringComparison.Ordinal) && l.EndsWith("→ false", StringComparison.Ordinal));
    }

    [Fact]
    public async Task From_a_client_row_the_explain_view_says_not_visible_for_another_owners_object()
    {
        var page = await LoginAsync();
        await page.GotoAsync(new Uri(server.Server.AdminUrl, "clients").ToString());
        await AdminServerFixture.WaitInteractiveAsync(page);

        // Alice's row: her variable, and she sees her own task only (Project and Tag are empty).
        await Assertions.Expect(page.Locator($"[data-testid=client-visible-{server.Alice}]")).ToHaveTextAsync("1");
        Assert.Equal("$client.owner = \"alice\"", (await page.Locator($"[data-testid=client-variables-{server.Alice}]").InnerTextAsync()).Trim());

        await page.Locator($"[data-testid=client-explain-{server.Alice}]").ClickAsync();
        await page.WaitForURLAsync($"**/filters/explain?client={server.Alice}");
        await AdminServerFixture.WaitInteractiveAsync(page);
        Assert.Equal(server.Alice.ToString(CultureInfo.InvariantCulture), await page.Locator("#explain-client").InputValueAsync());
        await page.Locator("#explain-id").FillAsync(server.BobTask.ToString(CultureInfo.InvariantCulture));
        await page.Locator("[data-testid=explain-submit]").ClickAsync();

        var verdict = page.Locator("[data-testid=explain-visible]");
        await Assertions.Expect(verdict).ToContainTextAsync("Not visible");
        Assert.Contains($"entity=Task&id={server.BobTask}", page.Url, StringComparison.Ordinal); // shareable
        Assert.Equal($"Client {server.Alice} cannot see Task {server.BobTask}: it does not match the filter", await page.Locator("[data-testid=explain-summary]").InnerTextAsync());
        var lines = await page.Locator("[data-testid=explain-lines]").InnerTextAsync();
        Assert.StartsWith("OR → false", lines, StringComparison.Ordinal);
        Assert.Contains("notes is \"bob\" → false", lines, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("client=999999&entity=Task&id={alice-task}", "explain-error", "No client has number 999999")]
    [InlineData("client={alice}&entity=Nope&id={alice-task}", "explain-error", "The current schema has no entity 'Nope'")]
    [InlineData("client={alice}&entity=Task&id=12345", "explain-summary", "Task 12345 does not exist (it was never stored, or it was removed)")]
    [InlineData("client=abc&entity=Task&id=1", "explain-error", "Client number \"abc\" is not a number from 1 to 4294967295.")]
    public async Task Bad_requests_show_the_reason_inline(string query, string testId, string expected)
    {
        var page = await LoginAsync();
        await page.GotoAsync(new Uri(server.Server.AdminUrl, "filters/explain?" + Fill(query)).ToString());
        await AdminServerFixture.WaitInteractiveAsync(page);

        Assert.Equal(expected, await page.Locator($"[data-testid={testId}]").InnerTextAsync());
    }

    [Theory]
    [InlineData("filters")]
    [InlineData("filters/explain?client={alice}&entity=Task&id={bob-task}")]
    [InlineData("clients")]
    public async Task At_phone_width_the_filter_pages_do_not_scroll_sideways(string path)
    {
        var page = await LoginAsync(phone: true);
        await page.GotoAsync(new Uri(server.Server.AdminUrl, Fill(path)).ToString());
        await AdminServerFixture.WaitInteractiveAsync(page);
        await page.Locator("h5").First.WaitForAsync();
        if (path.StartsWith("filters/explain", StringComparison.Ordinal))
        {
            await page.Locator("[data-testid=explain-lines]").WaitForAsync();
        }

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"/{path} is {widths[0]} px wide in a {widths[1]} px viewport");
    }

    // The fixture's numbers in place of {alice}, {alice-task}, {bob-task}.
    private string Fill(string path) => path
        .Replace("{alice}", server.Alice.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{alice-task}", server.AliceTask.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{bob-task}", server.BobTask.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private async Task<IPage> LoginAsync(bool phone = false)
    {
        var page = await browser.NewPageAsync(phone);
        await AdminServerFixture.LoginAsync(page, server.Server.AdminUrl, FilteredServerFixture.AdminUser, FilteredServerFixture.AdminPassword);
        return page;
    }
}
