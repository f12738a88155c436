using Bunit;
using Microsoft.Extensions.DependencyInjection;
using SyncServer.Engine.Filters;
using SyncServer.Web.Components.Pages;
using SyncServer.Web.Services;

namespace SyncServer.Web.Tests.Admin;

/// <summary>The sync filters page and the object page's link to the explain view.</summary>
public sealed class FiltersPageTests : BunitTestBase
{
    private readonly FakeAdminService _admin = new();

    public FiltersPageTests() => Services.AddSingleton<IAdminService>(_admin);

    [Fact]
    public void Without_filters_the_page_says_every_client_sees_every_object()
    {
        var cut = Render<Filters>();

        Assert.Equal("No sync filters configured: every client sees every object.", cut.Find("[data-testid=no-filters]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=filters-table]"));
    }

    [Fact]
    public void Each_filter_shows_its_entity_expression_variables_and_indexed_properties()
    {
        _admin.Filters.Add(new EntityFilterInfo("Task", "notes == ${client.owner ?? \"nobody\"} OR priority > 2", ["$client.owner"], ["notes"]));
        _admin.Filters.Add(new EntityFilterInfo("Project", "color > 2", [], []));

        var cut = Render<Filters>();

        Assert.Empty(cut.FindAll("[data-testid=no-filters]"));
        Assert.Equal("Task", cut.Find("[data-testid=filter-entity-Task]").TextContent);
        var expression = cut.Find("[data-testid=filter-expression-Task]");
        Assert.Equal("code", expression.TagName, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("notes == ${client.owner ?? \"nobody\"} OR priority > 2", expression.TextContent);
        Assert.Equal("$client.owner", cut.Find("[data-testid=filter-variables-Task]").TextContent);
        Assert.Equal("notes", cut.Find("[data-testid=filter-indexed-Task]").TextContent);
        Assert.Equal("color > 2", cut.Find("[data-testid=filter-expression-Project]").TextContent);
        Assert.Equal("—", cut.Find("[data-testid=filter-variables-Project]").TextContent);
        Assert.Equal("—", cut.Find("[data-testid=filter-indexed-Project]").TextContent);
    }

    [Fact]
    public void The_object_page_of_a_filtered_entity_links_to_the_explain_view_with_entity_and_id()
    {
        _admin.Objects = (_, id) => new DecodedObject(id, 3, new Dictionary<uint, object?>(), 20);
        var plain = Render<ObjectDetail>(p => p.Add(c => c.EntityName, "Task").Add(c => c.Id, "42"));
        Assert.Empty(plain.FindAll("[data-testid=object-explain]"));

        _admin.Filters.Add(new EntityFilterInfo("Task", "priority > 2", [], []));
        var filtered = Render<ObjectDetail>(p => p.Add(c => c.EntityName, "Task").Add(c => c.Id, "42"));

        Assert.Equal("filters/explain?entity=Task&id=42", filtered.Find("[data-testid=object-explain]").GetAttribute("href"));
    }
}
