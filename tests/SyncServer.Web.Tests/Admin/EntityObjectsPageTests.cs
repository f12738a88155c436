using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Engine.Data;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

/// <summary>The entity grid's sorting: property headers ask the service for that sort; refused sorts are explained.</summary>
public sealed class EntityObjectsPageTests : BunitTestBase
{
    private const string Refusal = "Sorting by a property is off for \"Task\": it has 3 objects, more than the limit of 2";

    private readonly FakeAdminService _admin = new();

    public EntityObjectsPageTests() => Services.AddSingleton<IAdminService>(_admin);

    [Fact]
    public void Clicking_a_property_header_requests_that_sort_ascending_then_descending()
    {
        var cut = RenderTask();

        SortHeader(cut, "header-priority").Click();
        cut.WaitForAssertion(() => Assert.Equal(ObjectSort.ByProperty("priority"), _admin.ObjectQueries[^1]));
        SortHeader(cut, "header-priority").Click();
        cut.WaitForAssertion(() => Assert.Equal(ObjectSort.ByProperty("priority", descending: true), _admin.ObjectQueries[^1]));
    }

    [Fact]
    public void Strings_dates_bools_and_relations_sort_but_a_vector_column_does_not_and_says_why()
    {
        var cut = RenderTask();

        foreach (var name in new[] { "title", "dueAt", "done", "projectId" })
        {
            Assert.NotNull(SortHeader(cut, $"header-{name}"));
        }

        Assert.Null(HeaderCell(cut, "header-labels").QuerySelector(".sortable-column-header"));
        Assert.Equal("StringVector values cannot be sorted", cut.Find("[data-testid=header-labels]").GetAttribute("title"));
    }

    [Fact]
    public void Over_the_limit_property_headers_do_not_sort_and_say_why_while_last_change_still_sorts()
    {
        _admin.ObjectPages = _ => new ObjectPage([], 3, Refusal);
        var cut = RenderTask();

        cut.WaitForAssertion(() => Assert.Contains(Refusal, cut.Find("[data-testid=sort-refusal]").TextContent, StringComparison.Ordinal));
        Assert.Null(HeaderCell(cut, "header-priority").QuerySelector(".sortable-column-header"));
        Assert.Equal(Refusal, cut.Find("[data-testid=header-priority]").GetAttribute("title"));

        var lastChange = cut.FindAll("th").Single(th => th.TextContent.Contains("Last change", StringComparison.Ordinal));
        lastChange.QuerySelector(".sortable-column-header")!.Click();
        cut.WaitForAssertion(() => Assert.Equal(new ObjectSort(ObjectOrder.LastChange), _admin.ObjectQueries[^1]));
    }

    [Fact]
    public void A_property_sort_refused_by_the_engine_shows_the_page_by_id_and_the_reason()
    {
        _admin.ObjectPages = sort => sort.Property is null
            ? new ObjectPage([], 3)
            : throw new PropertySortRefusedException(Refusal, 3, 2);
        var cut = RenderTask();

        SortHeader(cut, "header-title").Click();

        cut.WaitForAssertion(() => Assert.Contains(Refusal, cut.Find("[data-testid=sort-refusal]").TextContent, StringComparison.Ordinal));
        Assert.Equal([ObjectSort.ByProperty("title"), ObjectSort.ById], _admin.ObjectQueries.TakeLast(2));
        Assert.Null(HeaderCell(cut, "header-title").QuerySelector(".sortable-column-header"));
    }

    [Fact]
    public void Page_size_and_sort_come_from_the_query_string()
    {
        _admin.ObjectPages = _ => new ObjectPage([Task(1)], 1000);
        Navigation.NavigateTo("data/Task?page=3&size=10&sort=-title");

        var cut = RenderTask();

        cut.WaitForAssertion(() => Assert.Equal(ObjectSort.ByProperty("title", descending: true), _admin.ObjectQueries[^1]));
        Assert.Equal((20, 10), _admin.ObjectRanges[^1]);
        Assert.Contains("mud-direction-desc", HeaderCell(cut, "header-title").InnerHtml, StringComparison.Ordinal);
    }

    [Fact]
    public void Sorting_and_paging_are_written_into_the_query_string()
    {
        _admin.ObjectPages = _ => new ObjectPage([Task(1)], 1000);
        Navigation.NavigateTo("data/Task");
        var cut = RenderTask();

        SortHeader(cut, "header-priority").Click();
        cut.WaitForAssertion(() => Assert.EndsWith("/data/Task?sort=priority", Navigation.Uri, StringComparison.Ordinal));
        SortHeader(cut, "header-priority").Click();
        cut.WaitForAssertion(() => Assert.EndsWith("/data/Task?sort=-priority", Navigation.Uri, StringComparison.Ordinal));
        cut.Find("button[aria-label='Next page']").Click();
        cut.WaitForAssertion(() => Assert.EndsWith("/data/Task?sort=-priority&page=2", Navigation.Uri, StringComparison.Ordinal));
        Assert.Equal((25, 25), _admin.ObjectRanges[^1]);
    }

    [Theory]
    [InlineData("page=abc&size=7&sort=nosuch")]
    [InlineData("page=-2&size=99999999999&sort=-labels")] // labels is a vector: it does not sort
    [InlineData("page=0&sort=-")]
    public void Bad_values_in_the_query_string_fall_back_to_the_defaults(string query)
    {
        _admin.ObjectPages = _ => new ObjectPage([Task(1)], 1000);
        Navigation.NavigateTo("data/Task?" + query);

        RenderTask();

        Assert.Equal(ObjectSort.ById, _admin.ObjectQueries[0]);
        Assert.Equal((0, 25), _admin.ObjectRanges[0]);
    }

    [Fact]
    public void A_page_past_the_end_goes_back_to_the_first_page()
    {
        _admin.ObjectPages = _ => new ObjectPage([], 3);
        Navigation.NavigateTo("data/Task?page=40");

        var cut = RenderTask();

        Assert.Equal(39 * 25, _admin.ObjectRanges[0].Skip);
        cut.WaitForAssertion(() => Assert.Equal((0, 25), _admin.ObjectRanges[^1]));
        cut.WaitForAssertion(() => Assert.EndsWith("/data/Task", Navigation.Uri, StringComparison.Ordinal));
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private static DecodedObject Task(ulong id) => new(id, 1, new Dictionary<uint, object?>(), 0);

    private IRenderedComponent<EntityObjects> RenderTask()
    {
        var cut = Render<EntityObjects>(p => p.Add(c => c.EntityName, "Task"));
        cut.WaitForAssertion(() => Assert.NotEmpty(_admin.ObjectQueries));
        return cut;
    }

    private static IElement HeaderCell(IRenderedComponent<EntityObjects> cut, string testId) =>
        cut.Find($"[data-testid={testId}]").Closest("th")!;

    private static IElement SortHeader(IRenderedComponent<EntityObjects> cut, string testId) =>
        HeaderCell(cut, testId).QuerySelector(".sortable-column-header")
        ?? throw new Xunit.Sdk.XunitException($"{testId} is not sortable");
}
